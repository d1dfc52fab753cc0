"""Decisions in a joint cross-border review (issue 18): the leading partnership decides and signs, a partnership
taking part reads the sheet, the sheet and its PDF name both, and deadlines follow the leading partnership.

The tests' own partnership (``default_partnership()``) is renamed Tower Hamlets SCP and leads every case here;
City & Hackney SCP is the neighbour, taking part where a test says so.
"""

import datetime
import html

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import DecisionSheet, NationalPanelSubmission, SheetStatus, Signature
from decisions.selectors import escalations_open, sheets_awaiting_signature, sheets_for_business_unit
from decisions.services.national_panel import national_panel_deadline
from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock, ClockKind, NonWorkingDay
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import CaseParticipation, Stage
from tests.factories import (
    RoleAssignmentFactory,
    default_partnership,
    make_executive,
    make_partnership,
    make_user,
)
from tests.forms_as_rendered import accepted, page_form
from tests.pdfs import pdf_text

from .factories import HEALTH, LA, POLICE, the_chair

pytestmark = pytest.mark.django_db

JOINT_LINE = "Joint review: led by Tower Hamlets SCP with City & Hackney SCP taking part"


@pytest.fixture
def lead(db):
    partnership = default_partnership()
    partnership.name, partnership.short_name = "Tower Hamlets SCP", "THSCP"
    partnership.save()
    return partnership


@pytest.fixture
def neighbour(db):
    return make_partnership("City & Hackney SCP", slug="city-and-hackney", short_name="CHSCP")


@pytest.fixture
def taking_part(lead, neighbour, case, bu):
    """City & Hackney takes part in the case Tower Hamlets leads: the child lives in Hackney."""
    return CaseParticipation.objects.create(case=case, partnership=neighbour, added_by=bu,
                                            reason="The child lives in Hackney.")


@pytest.fixture
def neighbour_executives(neighbour):
    return {LA: make_executive(LA, chair=True, partnership=neighbour), HEALTH: make_executive(HEALTH,
                                                                                          partnership=neighbour),
            POLICE: make_executive(POLICE, partnership=neighbour)}


@pytest.fixture
def neighbour_bu(neighbour):
    return make_user(Role.BUSINESS_UNIT, partnership=neighbour, full_name="Nia Neighbour")


def _url(case, name="sheet"):
    return reverse(f"decisions:{name}", args=[case.pk])


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _sign_form(client, executive, case):
    """The sign page's form, as it rendered for an executive of the leading partnership."""
    client.force_login(executive)
    return page_form(client, _url(case, "sheet_sign"))


# --- sign-off stays with the leading partnership ---------------------------------------------------------------------

def test_an_executive_of_a_partnership_taking_part_reads_the_sheet_but_cannot_sign_it(
        client, out_for_signature, executives, taking_part, neighbour_executives):
    case, b_exec = out_for_signature.case, neighbour_executives[LA]
    form = _sign_form(client, executives[LA], case)

    client.force_login(b_exec)
    page = client.get(_url(case))
    assert page.status_code == 200, "a partnership taking part reads the sheet"
    text = _text(page)
    assert JOINT_LINE in text and "Sign or dispute" not in text
    assert client.get(_url(case, "sheet_sign")).status_code == 403
    assert form.submit().status_code == 403, "the form a lead executive was shown, sent by the neighbour's executive"
    assert not Signature.objects.exists()
    assert DecisionSheet.objects.get(pk=out_for_signature.pk).status == SheetStatus.OUT_FOR_SIGNATURE
    assert sheets_awaiting_signature(b_exec) == []
    with pytest.raises(DomainError, match="Tower Hamlets SCP"):
        services.signature_record(sheet=out_for_signature, signer=b_exec, partner=LA, outcome="agree")
    assert not Signature.objects.exists()


def test_an_executive_of_a_partnership_not_taking_part_cannot_find_the_sheet(
        client, out_for_signature, executives, lead, neighbour_executives):
    case = out_for_signature.case
    form = _sign_form(client, executives[POLICE], case)
    client.force_login(neighbour_executives[POLICE])
    for name in ("sheet", "sheet_sign", "sheet_pdf"):
        assert client.get(_url(case, name)).status_code == 404
    assert form.submit().status_code == 404
    assert not Signature.objects.exists()


def test_an_executive_of_both_partnerships_signs_only_while_acting_in_the_leading_one(
        client, out_for_signature, executives, lead, neighbour, taking_part):
    case = out_for_signature.case
    both = make_executive(POLICE, partnership=neighbour)
    RoleAssignmentFactory(user=both, role=Role.EXECUTIVE, statutory_partner=POLICE, partnership=lead)
    client.force_login(both)
    client.get(f"/decisions/?partnership={lead.slug}")  # a link naming the partnership switches to it
    form = page_form(client, _url(case, "sheet_sign")).fill(outcome="agree")

    client.get(f"/decisions/?partnership={neighbour.slug}")
    assert client.get(_url(case, "sheet_sign")).status_code == 403
    assert "Sign or dispute" not in client.get(_url(case)).content.decode()
    assert form.submit().status_code == 403
    assert not Signature.objects.exists()

    client.get(f"/decisions/?partnership={lead.slug}")
    assert "Sign or dispute" in client.get(_url(case)).content.decode()
    accepted(form.submit())
    signature = Signature.objects.get()
    assert (signature.signer, signature.partner) == (both, POLICE)


def test_the_service_refuses_a_signer_acting_in_another_partnership(out_for_signature, executives, lead, neighbour):
    both = executives[HEALTH]
    RoleAssignmentFactory(user=both, role=Role.EXECUTIVE, statutory_partner=HEALTH, partnership=neighbour)
    both.act_in(neighbour)
    with pytest.raises(DomainError, match="Switch to Tower Hamlets SCP"):
        services.signature_record(sheet=out_for_signature, signer=both, partner=HEALTH, outcome="agree")
    both.act_in(lead)
    services.signature_record(sheet=out_for_signature, signer=both, partner=HEALTH, outcome="agree")
    assert Signature.objects.get().signer == both


def test_only_the_leading_partnerships_executives_are_asked_to_sign_with_links_that_open_there(
        draft, bu, executives, lead, taking_part, neighbour_executives):
    services.sheet_send(sheet=draft, actor=bu)
    asked = Notification.objects.filter(kind="decisions.sign_request")
    assert {n.recipient for n in asked} == set(executives.values())
    link = f"/decisions/case/{draft.case_id}/sheet/?partnership={lead.slug}"
    assert all(link in n.body_text and n.partnership == lead for n in asked)


def test_the_business_unit_of_a_partnership_taking_part_reads_the_sheet_and_changes_nothing(
        client, signed, bu, taking_part, neighbour_bu):
    case = signed.case
    client.force_login(bu)
    send = page_form(client, _url(case, "national_panel_send"))
    client.force_login(neighbour_bu)
    text = _text(client.get(_url(case)))
    assert JOINT_LINE in text
    for label in ("Record the date sent", "Withdraw", "Edit the draft", "Make a revised version"):
        assert label not in text
    assert client.get(_url(case, "national_panel_send")).status_code == 403
    assert send.fill(sent_on=datetime.date(2026, 3, 10)).submit().status_code == 403
    for name in ("sheet_start", "sheet_send", "sheet_revise"):
        assert client.post(_url(case, name)).status_code == 403
    assert not NationalPanelSubmission.objects.exists()
    assert DecisionSheet.objects.get(pk=signed.pk).status == SheetStatus.SIGNED
    assert list(sheets_for_business_unit(neighbour_bu)) == []
    assert list(sheets_for_business_unit(bu)) == [signed]


def test_the_decision_is_sent_for_a_member_of_the_leading_partnerships_executive_only(
        client, signed, bu, taking_part, neighbour_executives):
    client.force_login(bu)
    form = page_form(client, _url(signed.case, "national_panel_send"))
    offered = {value for value, _ in form.options("sent_for") if value}
    assert str(the_chair().pk) in offered
    assert not offered & {str(person.pk) for person in neighbour_executives.values()}
    with pytest.raises(DomainError, match="not a member of the Executive of Tower Hamlets SCP"):
        services.national_panel_send(case=signed.case, actor=bu, sent_on=datetime.date(2026, 3, 10),
                                     sent_for=neighbour_executives[LA])


def test_escalations_reach_the_chair_of_the_leading_partnership_only(
        out_for_signature, executives, rr_chair, taking_part, neighbour_executives):
    services.signature_record(sheet=out_for_signature, signer=executives[POLICE], partner=POLICE, outcome="dispute",
                              reasons="Not agreed")
    dispute = out_for_signature.disputes.get()
    services.dispute_escalate(dispute=dispute, actor=rr_chair, reason="No agreement")
    assert Notification.objects.get(kind="decisions.escalated").recipient == executives[LA]
    assert list(escalations_open(executives[LA])) == [dispute]
    assert list(escalations_open(neighbour_executives[LA])) == []
    with pytest.raises(DomainError, match="Tower Hamlets SCP"):
        services.dispute_resolve(dispute=dispute, actor=neighbour_executives[LA], resolution="Mine to decide")


# --- the sheet and its PDF name both partnerships ---------------------------------------------------------------------

def test_the_sheet_pdf_of_a_joint_case_names_the_leading_partnership_and_the_one_taking_part(
        client, signed, bu, taking_part, neighbour_bu):
    for reader in (bu, neighbour_bu):
        client.force_login(reader)
        response = client.get(_url(signed.case, "sheet_pdf"))
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert text.startswith("Tower Hamlets SCP"), "the leading partnership heads the sheet"
        assert JOINT_LINE + "." in text
        assert "Leading partnership Tower Hamlets SCP" in text and "Partnerships taking part City & Hackney SCP" in text
        assert "Signed for Tower Hamlets SCP, which leads the review." in text


def test_a_partnership_that_stopped_taking_part_is_still_named_with_the_date(client, signed, bu, taking_part):
    CaseParticipation.objects.filter(pk=taking_part.pk).update(
        ended_at=datetime.datetime(2026, 3, 6, 12, tzinfo=datetime.UTC))
    client.force_login(bu)
    text = _text(client.get(_url(signed.case)))
    assert "Joint review: led by Tower Hamlets SCP; City & Hackney SCP took part until 6 March 2026" in text


def test_a_case_the_partnership_reviews_alone_has_no_joint_review_line(client, signed, bu, lead):
    client.force_login(bu)
    assert "Joint review" not in client.get(_url(signed.case)).content.decode()
    assert "Joint review" not in pdf_text(client.get(_url(signed.case, "sheet_pdf")).content)


# --- deadlines follow the leading partnership -------------------------------------------------------------------------

def test_the_national_panel_deadline_counts_the_leading_partnerships_closures_only(
        client, signed, bu, lead, neighbour, taking_part):
    case = signed.case
    NonWorkingDay.objects.create(partnership=neighbour, date=datetime.date(2026, 3, 16), reason="Neighbour's day")
    assert national_panel_deadline(case) == datetime.date(2026, 3, 23), "working day 15 after Monday 2 March"
    NonWorkingDay.objects.create(partnership=lead, date=datetime.date(2026, 3, 16), reason="Staff day")
    assert national_panel_deadline(case) == datetime.date(2026, 3, 24)
    client.force_login(bu)
    assert "The deadline is 24 March 2026." in client.get(_url(case, "national_panel_send")).content.decode()


def test_working_day_of_the_sending_is_counted_in_the_leading_partnerships_calendar(signed, bu, lead, neighbour,
                                                                                   taking_part):
    NonWorkingDay.objects.create(partnership=neighbour, date=datetime.date(2026, 3, 4), reason="Neighbour's day")
    NonWorkingDay.objects.create(partnership=lead, date=datetime.date(2026, 3, 5), reason="Staff day")
    submission = services.national_panel_send(case=signed.case, actor=bu, sent_on=datetime.date(2026, 3, 10),
                                              sent_for=the_chair())
    assert submission.working_day == 5, "6 working days after Monday 2 March, less Tower Hamlets' closure"


def test_practice_review_clocks_and_publication_dates_use_the_leading_partnerships_calendar(
        client, signed, bu, lead, neighbour, taking_part):
    case = signed.case
    services.national_panel_send(case=case, actor=bu, sent_on=datetime.date(2026, 3, 10), sent_for=the_chair())
    cspr = services.cspr_commission(case=case, actor=bu, methodology="systems", methodology_detail="",
                                    reviewers="R", terms_of_reference="T", started_on=datetime.date(2026, 3, 10))
    assert Clock.objects.get(kind=ClockKind.CSPR_REPORT).partnership == lead
    NonWorkingDay.objects.create(partnership=neighbour, date=datetime.date(2026, 3, 11), reason="Neighbour's day")
    # Today is Tuesday 10 March 2026: 7 working days on is Thursday 19 March; with the neighbour's closure too.
    client.force_login(bu)
    url = _url(case, "cspr_edit")
    accepted(page_form(client, url).fill(planned_publication_on=datetime.date(2026, 3, 19)).submit())
    assert Clock.objects.get(kind=ClockKind.PRE_PUBLICATION).due_on == datetime.date(2026, 3, 10)

    NonWorkingDay.objects.create(partnership=lead, date=datetime.date(2026, 3, 12), reason="Staff day")
    response = page_form(client, url).fill(planned_publication_on=datetime.date(2026, 3, 18)).submit()
    assert response.status_code == 200 and "The earliest date is 20 March 2026." in response.content.decode()
    cspr.refresh_from_db()
    assert cspr.planned_publication_on == datetime.date(2026, 3, 19)


def test_the_leading_partnerships_durations_set_the_deadlines(signed, bu, lead, taking_part):
    neighbour = taking_part.partnership
    neighbour.national_panel_working_days = 20
    neighbour.cspr_months = 12
    neighbour.save()
    lead.national_panel_working_days = 10
    lead.cspr_months = 3
    lead.save()
    case = signed.case
    case.refresh_from_db()
    assert national_panel_deadline(case) == datetime.date(2026, 3, 16), "working day 10 after Monday 2 March"
    assert case.stage == Stage.DECISION
    services.national_panel_send(case=case, actor=bu, sent_on=datetime.date(2026, 3, 10), sent_for=the_chair())
    cspr = services.cspr_commission(case=case, actor=bu, methodology="systems", methodology_detail="",
                                    reviewers="R", terms_of_reference="T", started_on=datetime.date(2026, 3, 10))
    assert cspr.final_report_due_on == datetime.date(2026, 6, 10)
