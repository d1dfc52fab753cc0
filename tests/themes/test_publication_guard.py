"""Bulletins and learning briefings are checked by the publication guard before they are saved or sent."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.notifications.models import Notification
from referrals.publication import PublicationRefused
from tests.factories import AgencyFactory, default_partnership
from tests.forms_as_rendered import page_form
from tests.themes.factories import CaseFactory
from themes.learning import learning_bulletin_send, learning_create
from themes.models import LearningItem, LearningKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(db):
    return CaseFactory(child_first_name="Keziah", child_last_name="Ballantyne", child_dob=datetime.date(2017, 9, 1))


def _submit(client, kind, **fields):
    """Fill the page's learning form with a date ten days on and ``fields``, and submit it."""
    form = page_form(client, reverse("themes:learning_create", args=[kind]), containing="title")
    return form.fill(date=timezone.localdate() + datetime.timedelta(days=10), **fields).submit()


def test_a_learning_item_naming_a_child_is_refused_with_the_field_and_the_match(bu_client, child):
    response = _submit(bu_client, "agency_visit", title="Presentation: Keziah Ballantyne")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "govuk-error-summary" in page and 'href="#id_title"' in page
    assert f"The title contains a child's name (“Keziah Ballantyne”, case {child.reference})" in page
    assert not LearningItem.objects.exists()


def test_the_business_unit_may_publish_anyway_with_a_reason_kept_in_the_history(bu_client, child):
    response = _submit(bu_client, "agency_visit", title="Briefing for Keziah Ballantyne's school",
                     publication_override="Agreed with the family, who asked for her name to be used.")
    assert response.status_code == 302
    item = LearningItem.objects.get()
    assert item.history.get().publication_override.startswith("Agreed with the family")


def test_a_bulletin_is_checked_again_when_it_is_sent(business_unit, child):
    default_partnership().agencies.add(AgencyFactory(distribution_email="partners@example.org"))
    item = learning_create(kind=LearningKind.BULLETIN, actor=business_unit, partnership=default_partnership(),
                           title="Safe sleep",
                           date=timezone.localdate(), body="Talk to every family about safe sleep.")
    LearningItem.objects.filter(pk=item.pk).update(body="Keziah was born on 1 September 2017.")
    item.refresh_from_db()
    with pytest.raises(PublicationRefused, match="date of birth"):
        learning_bulletin_send(item=item, actor=business_unit)
    item.refresh_from_db()
    assert not item.is_sent and not Notification.objects.exists()
