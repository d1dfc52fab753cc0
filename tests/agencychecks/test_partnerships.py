"""Agency check forms across partnerships (issue 18): a joint cross-border case's forms go to the agencies of both
partnerships, an agency lead sees their agency's forms in the partnership they act in, and only the leading
partnership's business unit issues and quality-assures them."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencychecks import selectors, services
from agencychecks.dashboard import awaiting_qa_card, forms_due_card
from agencychecks.models import AgencyCheckForm, FormStatus
from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.db import DomainError
from rapidreview.notifications.models import Notification
from referrals.models import CaseParticipation
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form

from .factories import AgencyCheckCaseFactory as CaseFactory
from .factories import complete_form, make_referral

TODAY = "2027-03-01 09:00"  # a Monday after the fixtures are made (roles start this month)


class _Request:
    def __init__(self, user):
        self.user = user


@pytest.fixture
def world(db, business_unit, health):
    """Two partnerships sharing a police force; the neighbour also has its own children's social care. One case
    of each, and a cross-border case led by the first with the neighbour taking part."""
    home = default_partnership()
    neighbour = make_partnership("Neighbour Safeguarding Children Partnership", slug="neighbour",
                                 short_name="NSCP")
    police = AgencyFactory(name="Shared Police Force")
    neighbour_csc = AgencyFactory(name="Neighbour Children's Social Care")
    far = AgencyFactory(name="Far Away Trust")
    home.agencies.add(police)
    neighbour.agencies.add(police, neighbour_csc)
    make_partnership("Far Partnership", slug="far").agencies.add(far)
    police_lead = make_user(Role.AGENCY_LEAD, agency=police, full_name="Paz Police", email="paz@police.test")
    RoleAssignment.objects.create(user=police_lead, partnership=neighbour, role=Role.AGENCY_LEAD,
                                  starts_on=timezone.localdate().replace(day=1))
    cases = {"home": CaseFactory(), "neighbour": CaseFactory(partnership=neighbour), "cross": CaseFactory()}
    for case in cases.values():
        make_referral(case)
    CaseParticipation.objects.create(case=cases["cross"], partnership=neighbour, reason="The child lives there",
                                     added_by=business_unit)
    return {
        "home": home, "neighbour": neighbour, "police": police, "neighbour_csc": neighbour_csc, "far": far,
        "cases": cases, "police_lead": police_lead,
        "csc_lead": make_user(Role.AGENCY_LEAD, agency=neighbour_csc, partnership=neighbour, full_name="Cas CSC",
                              email="cas@csc.test"),
        "neighbour_bu": make_user(Role.BUSINESS_UNIT, partnership=neighbour, full_name="Nell Neighbour"),
        "neighbour_police_lead": make_user(Role.AGENCY_LEAD, agency=police, partnership=neighbour,
                                           full_name="Nico Neighbour-Police", email="nico@police.test"),
    }


def _issue(case, agencies, actor):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    return {f.agency.name: f for f in services.forms_issue(case=case, agencies=agencies, due_on=latest, actor=actor)}


def _in(client, user, partnership):
    """Sign ``user`` in and act in ``partnership``, as the switcher (or an e-mail's link) does."""
    client.force_login(user)
    client.get(reverse("agencychecks:index") + f"?partnership={partnership.slug}")
    return client


# ---- which agencies a case's forms go to --------------------------------------------------------------------

@time_machine.travel(TODAY, tick=False)
def test_the_cross_border_issue_page_offers_the_agencies_of_both_partnerships_only(client, world, business_unit):
    bu_client = _in(client, business_unit, world["home"])
    form = page_form(bu_client, reverse("agencychecks:issue", args=[world["cases"]["cross"].pk]))
    offered = [label for _, label in form.options("agencies")]
    assert [label.split(" (")[0] for label in offered] == [
        "Example Health Trust", "Neighbour Children's Social Care", "Shared Police Force"]
    assert "Shared Police Force (SCP, NSCP)" in offered
    home_only = page_form(bu_client, reverse("agencychecks:issue", args=[world["cases"]["home"].pk]))
    assert [label.split(" (")[0] for _, label in home_only.options("agencies")] == [
        "Example Health Trust", "Shared Police Force"]


@time_machine.travel(TODAY, tick=False)
def test_a_form_for_an_agency_of_no_partnership_in_the_case_is_refused(world, business_unit):
    for agency in (world["far"], world["neighbour_csc"]):
        with pytest.raises(DomainError, match="partnerships leading or taking part"):
            _issue(world["cases"]["home"], [agency], business_unit)
    assert not AgencyCheckForm.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_issue_page_warns_when_an_agency_has_no_lead_in_the_cases_partnerships(client, world, business_unit,
                                                                                   health_lead):
    bu_client = _in(client, business_unit, world["home"])
    world["csc_lead"].role_assignments.update(partnership=world["home"])  # a lead, but of the wrong partnership
    world["neighbour"].agencies.remove(world["police"])  # the police lead of the neighbour no longer counts
    RoleAssignment.objects.filter(user=world["police_lead"], partnership=world["home"]).delete()
    page = " ".join(bu_client.get(reverse("agencychecks:issue", args=[world["cases"]["cross"].pk]))
                    .content.decode().split())
    assert ("Neighbour Children's Social Care and Shared Police Force have no safeguarding lead in the partnerships "
            "of this case") in page.replace("&#x27;", "'")


@time_machine.travel(TODAY, tick=False)
def test_the_cross_border_form_issued_to_a_taking_part_agency_reaches_its_lead(
        client, world, business_unit, django_capture_on_commit_callbacks):
    from django.test import Client

    bu_client = _in(Client(), business_unit, world["home"])
    case = world["cases"]["cross"]
    form = page_form(bu_client, reverse("agencychecks:issue", args=[case.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        accepted(form.fill(agencies=[str(world["neighbour_csc"].pk), str(world["police"].pk)]).submit())
    csc_form = AgencyCheckForm.objects.get(case=case, agency=world["neighbour_csc"])
    (message,) = [m for m in mail.outbox if m.to == ["cas@csc.test"]]
    assert f"{csc_form.get_absolute_url()}?partnership=neighbour" in message.body
    assert case.child_last_name not in message.body
    note = Notification.objects.get(kind="agencychecks.issued", recipient=world["csc_lead"])
    assert note.partnership == case.partnership
    # The police lead of both partnerships is e-mailed once, with a link to the leading partnership.
    police_mail = [m for m in mail.outbox if m.to == ["paz@police.test"]]
    assert len(police_mail) == 1 and "?partnership=partnership" in police_mail[0].body
    client = _in(client, world["csc_lead"], world["neighbour"])
    page = client.get(reverse("agencychecks:index")).content.decode()
    assert str(csc_form.pk) in page
    section = page_form(client, reverse("agencychecks:section", args=[csc_form.pk, "analysis"]))
    accepted(section.fill(analysis="Our social worker visited twice.").submit("Save and come back later"))
    csc_form.refresh_from_db()
    assert (csc_form.analysis, csc_form.status) == ("Our social worker visited twice.", FormStatus.DRAFT)


# ---- who sees which form --------------------------------------------------------------------------------------

@time_machine.travel(TODAY, tick=False)
def test_an_agency_lead_of_the_neighbour_only_cannot_see_the_home_partnerships_forms(client, world, business_unit):
    home_form = _issue(world["cases"]["home"], [world["police"]], business_unit)["Shared Police Force"]
    client = _in(client, world["neighbour_police_lead"], world["neighbour"])
    assert str(home_form.pk) not in client.get(reverse("agencychecks:index")).content.decode()
    for name, args in (("agencychecks:form", []), ("agencychecks:section", ["analysis"]),
                       ("agencychecks:check", [])):
        assert client.get(reverse(name, args=[home_form.pk, *args])).status_code == 404
    # The form as its own lead sees it, posted by the other partnership's lead: refused, and nothing written.
    section = page_form(_in(client.__class__(), world["police_lead"], world["home"]),
                        reverse("agencychecks:section", args=[home_form.pk, "analysis"]))
    section.fill(analysis="Written by the wrong lead.")
    section.client = client
    assert section.submit("Save and come back later").status_code == 404
    assert client.post(reverse("agencychecks:check", args=[home_form.pk])).status_code == 404
    home_form.refresh_from_db()
    assert (home_form.analysis, home_form.status) == ("", FormStatus.ISSUED)


@time_machine.travel(TODAY, tick=False)
def test_the_lead_of_a_shared_agency_sees_each_partnerships_forms_when_switching(client, world, business_unit):
    neighbour_bu = world["neighbour_bu"]
    forms = {
        "home": _issue(world["cases"]["home"], [world["police"]], business_unit)["Shared Police Force"],
        "neighbour": _issue(world["cases"]["neighbour"], [world["police"]], neighbour_bu)["Shared Police Force"],
        "cross": _issue(world["cases"]["cross"], [world["police"]], business_unit)["Shared Police Force"],
    }
    lead = world["police_lead"]
    for partnership, seen in ((world["home"], {"home", "cross"}), (world["neighbour"], {"neighbour", "cross"})):
        client = _in(client, lead, partnership)
        page = client.get(reverse("agencychecks:index")).content.decode()
        assert {key for key, form in forms.items() if str(form.pk) in page} == seen, partnership
        for key, form in forms.items():
            expected = 200 if key in seen else 404
            assert client.get(reverse("agencychecks:form", args=[form.pk])).status_code == expected
        lead.act_in(partnership)
        card = forms_due_card(_Request(lead))
        assert {f.pk for f in card["forms"]} == {forms[key].pk for key in seen}
        assert card["partnership"] == partnership


@time_machine.travel(TODAY, tick=False)
def test_the_police_lead_acting_in_the_neighbour_fills_in_the_cross_border_form(client, world, business_unit):
    form = _issue(world["cases"]["cross"], [world["police"]], business_unit)["Shared Police Force"]
    client = _in(client, world["police_lead"], world["neighbour"])
    section = page_form(client, reverse("agencychecks:section", args=[form.pk, "analysis"]))
    accepted(section.fill(analysis="Two call-outs to the home.").submit("Save and come back later"))
    complete_form(form)
    response = page_form(client, reverse("agencychecks:check", args=[form.pk]), action="").submit()
    assert response.status_code == 200 and "Form submitted" in response.content.decode()
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED


# ---- the leading partnership quality-assures; the one taking part reads ------------------------------------------

@time_machine.travel(TODAY, tick=False)
def test_the_partnership_taking_part_reads_the_forms_but_does_not_issue_or_assure_them(
        client, world, business_unit):
    form = _issue(world["cases"]["cross"], [world["police"]], business_unit)["Shared Police Force"]
    complete_form(form)
    services.form_submit(form=form, actor=world["police_lead"])
    client = _in(client, world["neighbour_bu"], world["neighbour"])
    case = world["cases"]["cross"]
    assert client.get(reverse("agencychecks:form", args=[form.pk])).status_code == 200
    assert client.get(reverse("agencychecks:board", args=[case.pk])).status_code == 200
    assert reverse("agencychecks:accept", args=[form.pk]) not in client.get(
        reverse("agencychecks:form", args=[form.pk])).content.decode()
    assert client.post(reverse("agencychecks:accept", args=[form.pk])).status_code == 403
    assert client.post(reverse("agencychecks:return", args=[form.pk]),
                       {"comment_analysis": "Ours to judge"}).status_code == 403
    assert client.post(reverse("agencychecks:issue", args=[case.pk])).status_code == 403
    assert client.post(reverse("agencychecks:distribute", args=[case.pk]), {"reason": "x"}).status_code == 403
    form.refresh_from_db()
    assert form.status == FormStatus.SUBMITTED and not form.reviews.exists()
    world["neighbour_bu"].act_in(world["neighbour"])
    assert awaiting_qa_card(_Request(world["neighbour_bu"])) is None
    business_unit.act_in(world["home"])
    assert [f.pk for f in awaiting_qa_card(_Request(business_unit))["forms"]] == [form.pk]


@time_machine.travel(TODAY, tick=False)
def test_another_partnerships_business_unit_gets_not_found_for_a_case_it_has_no_part_in(client, world,
                                                                                         business_unit):
    form = _issue(world["cases"]["home"], [world["police"]], business_unit)["Shared Police Force"]
    client = _in(client, world["neighbour_bu"], world["neighbour"])
    assert client.get(reverse("agencychecks:form", args=[form.pk])).status_code == 404
    assert client.post(reverse("agencychecks:accept", args=[form.pk])).status_code == 404
    assert client.get(reverse("agencychecks:board", args=[form.case_id])).status_code == 404
    assert str(form.pk) not in client.get(reverse("agencychecks:index")).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_reminders_and_the_submitted_email_follow_the_cases_partnership(world, business_unit,
                                                                         django_capture_on_commit_callbacks):
    form = _issue(world["cases"]["cross"], [world["neighbour_csc"]], business_unit)[
        "Neighbour Children's Social Care"]
    assert [lead for lead, _ in selectors.form_leads(form)] == [world["csc_lead"]]
    from rapidreview.clocks.models import Clock, ClockKind

    clock = Clock.objects.get(subject_id=form.pk, kind=ClockKind.AGENCY_FORM)
    assert clock.partnership == world["cases"]["cross"].partnership
    assert selectors.form_reminder_owners(form, clock) == [world["csc_lead"]]
    # The sweep's batch finder gives the same answer, overdue too (the agency's panel member then joins).
    assert selectors.forms_reminder_owners([(form, clock)]) == [selectors.form_reminder_owners(form, clock)]
    with time_machine.travel(clock.due_on + datetime.timedelta(days=3), tick=False):
        assert selectors.forms_reminder_owners([(form, clock)]) == [selectors.form_reminder_owners(form, clock)]
    complete_form(form)
    with django_capture_on_commit_callbacks(execute=True):
        services.form_submit(form=form, actor=world["csc_lead"])
    submitted = Notification.objects.filter(kind="agencychecks.submitted")
    assert {n.recipient for n in submitted} == {business_unit}
    assert world["neighbour_bu"] not in {n.recipient for n in submitted}


@time_machine.travel(TODAY, tick=False)
def test_the_pack_pdf_is_headed_by_the_leading_partnership(world, business_unit):
    from agencychecks.document import pack_pdf_bytes
    from tests.pdfs import pdf_text

    form = _issue(world["cases"]["cross"], [world["police"]], business_unit)["Shared Police Force"]
    complete_form(form)
    services.form_submit(form=form, actor=world["police_lead"])
    services.form_accept(form=form, actor=business_unit)
    case = world["cases"]["cross"]
    text = pdf_text(pack_pdf_bytes(case, list(selectors.accepted_forms(case)), base_url=None))
    assert case.partnership.name in text
