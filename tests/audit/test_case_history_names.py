"""The case history names what changed: a related record by its name, never its id."""

import datetime
import itertools

import pytest
from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.audit.selectors import _history_sources
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


def test_the_history_compares_versions_as_simple_history_does():
    """The history page compares two versions of a record field by field itself (issue 20); for every record of a
    case with changes to plain, choice, related, date and many-to-many fields it finds what ``diff_against``
    finds, in the same order."""
    bu = make_user(Role.BUSINESS_UNIT)
    first, second = AgencyFactory(), AgencyFactory()
    case = CaseFactory()
    referral = case.referral
    referral.referrer_agency, referral.referrer_name = first, "Ann Referrer"
    referral._history_user = bu
    referral.save()
    referral.referrer_agency, referral.referrer_name = second, "Ben Referrer"
    referral.received_on = referral.received_on - datetime.timedelta(days=1)
    referral._history_user = bu
    referral.save()
    case.involved_agencies.set([first])
    case.child_first_name = "Renamed"
    case.save()
    case.involved_agencies.set([first, second])
    case.save()
    compared = 0
    for source in _history_sources("default"):
        key = source.model._meta.pk.attname  # every history row in this database is of this case's records
        by_record: dict = {}
        for version in source.history_model.objects.order_by("history_date", "history_id"):
            by_record.setdefault(getattr(version, key), []).append(version)
        for versions in by_record.values():
            for before, after in itertools.pairwise(versions):
                expected = [(c.field, c.old, c.new) for c in after.diff_against(before).changes]
                assert source.changes(before, after) == expected
                compared += bool(expected)
    assert compared >= 3, "the case's and its referral's changes were compared"
