"""A published review's pseudonym and link never name a child, and can be corrected later with a reason."""

import datetime
import html

import pytest
from django.urls import reverse

from decisions import services
from referrals.models import CaseEvent
from referrals.publication import PublicationRefused
from tests.forms_as_rendered import accepted, page_form

from .factories import the_chair

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(signed, bu, _today):
    """A practice review whose report went to the National Panel, ready to publish."""
    services.national_panel_send(case=signed.case, actor=bu, sent_on=datetime.date(2026, 3, 10), late_reason="",
                                 sent_for=the_chair())
    cspr = services.cspr_commission(case=signed.case, actor=bu, methodology="systems", methodology_detail="",
                                    reviewers="Independent reviewer", terms_of_reference="Scope",
                                    started_on=datetime.date(2026, 3, 10))
    services.cspr_update(cspr=cspr, actor=bu, methodology="systems", methodology_detail="", reviewers="R",
                         terms_of_reference="T", planned_publication_on=datetime.date(2026, 9, 30))
    _today.move_to(datetime.datetime(2026, 9, 30, 10, 0))
    services.cspr_report_sent(cspr=cspr, actor=bu, sent_on=datetime.date(2026, 9, 18))
    return cspr


def _publish(cspr, bu, pseudonym, url=""):
    return services.cspr_publish(cspr=cspr, actor=bu, published_on=datetime.date(2026, 9, 30), pseudonym=pseudonym,
                                 published_url=url)


@pytest.mark.parametrize("pseudonym", ["{first}", "Child {first}", "{last}", "{first} {last}"])
def test_a_pseudonym_holding_the_childs_name_is_refused_with_no_override(ready, bu, pseudonym):
    case = ready.case
    with pytest.raises(PublicationRefused) as refused:
        _publish(ready, bu, pseudonym.format(first=case.child_first_name, last=case.child_last_name))
    assert not refused.value.may_override
    ready.refresh_from_db()
    case.refresh_from_db()
    assert ready.published_on is None and case.pseudonym == ""


def test_a_link_naming_the_child_is_refused(ready, bu):
    case = ready.case
    slug = f"{case.child_first_name}-{case.child_last_name}".lower()
    with pytest.raises(PublicationRefused, match="link"):
        _publish(ready, bu, "Child Q", url=f"https://example.org/reviews/{slug}")


def test_the_publish_page_shows_the_refusal_against_the_pseudonym(client, ready, bu):
    client.force_login(bu)
    url = reverse("decisions:cspr_publish", args=[ready.case_id])
    form = page_form(client, url, containing="pseudonym")
    response = form.fill(published_on=datetime.date(2026, 9, 30), pseudonym=ready.case.child_name,
                         published_url="").submit()
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and 'href="#id_pseudonym"' in page
    assert "The pseudonym contains a child's name" in page
    ready.refresh_from_db()
    assert ready.published_on is None


def test_the_business_unit_corrects_the_pseudonym_with_a_reason_in_the_history(client, ready, bu, executives):
    _publish(ready, bu, "Child Q")
    url = reverse("decisions:cspr_publication_correct", args=[ready.case_id])
    for person in executives.values():
        client.force_login(person)
        assert client.post(url, {"pseudonym": "Child R", "reason": "x"}).status_code in (403, 404)
    ready.case.refresh_from_db()
    assert ready.case.pseudonym == "Child Q"
    client.force_login(bu)
    assert "Correct" in client.get(reverse("decisions:cspr", args=[ready.case_id])).content.decode()
    form = page_form(client, url, containing="reason")
    assert form["pseudonym"] == "Child Q"
    accepted(form.fill(pseudonym="Child R", published_url="", reason="The report was published as Child R.").submit())
    ready.case.refresh_from_db()
    assert ready.case.pseudonym == "Child R"
    assert ready.case.history.first().history_change_reason == "The report was published as Child R."
    event = CaseEvent.objects.filter(case=ready.case).order_by("-pk").first()
    assert "was “Child Q”, now “Child R”" in event.summary and event.note == "The report was published as Child R."
