"""The case history names what changed: a related record by its name, never its id."""

import pytest
from django.urls import reverse

from rapidreview.accounts.models import Role
from tests.factories import AgencyFactory, make_user
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_history_shows_the_names_of_related_records_not_their_ids(client):
    bu = make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")
    first, second = AgencyFactory(name="Barts Health NHS Trust"), AgencyFactory(name="Metropolitan Police")
    clerk, other = make_user(Role.AGENCY_LEAD, full_name="Cara Clerk"), make_user(full_name="Olu Other")
    case = CaseFactory()
    referral = case.referral
    referral.referrer_agency, referral.submitted_by = first, clerk
    referral._history_user = bu
    referral.save()
    referral.referrer_agency, referral.submitted_by = second, other
    referral._history_user = bu
    referral.save()
    case.involved_agencies.set([first, second])
    client.force_login(bu)
    page = " ".join(client.get(reverse("audit:case_history", args=[case.pk])).content.decode().split())
    assert "Barts Health NHS Trust</span> → <span class=\"app-diff-ins\">Metropolitan Police" in page
    assert "Cara Clerk</span> → <span class=\"app-diff-ins\">Olu Other" in page
    assert "by Bea Unit" in page  # who made the change, read once for the whole history
    assert "by the system" in page  # the case's own creation had no user
    for raw in (first.pk, second.pk, clerk.pk, other.pk):
        assert f"→ <span class=\"app-diff-ins\">{raw}</span>" not in page
        assert f"<span class=\"app-diff-del\">{raw}</span>" not in page
