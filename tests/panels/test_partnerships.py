"""Panels on an installation of several partnerships (issue 18): each partnership's register, its one-panel-a-day
rule, its calendar invitations, and a partnership taking part in a case that sees its panel but never runs it."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from panels import selectors, services
from panels.models import ConflictOfInterest, NationalPanelLiaison, Panel, PanelState
from panels.registry import business_unit_card, member_card
from rapidreview.accounts.models import Role, RoleAssignment, StatutoryPartner
from rapidreview.db import DomainError
from referrals.models import CaseParticipation, Stage
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form
from tests.referrals.factories import ReferralFactory

from .conftest import at
from .factories import PanelCaseFactory as CaseFactory
from .factories import make_member

D = datetime.date


class _Request:
    def __init__(self, user):
        self.user = user


@pytest.fixture
def neighbour(db):
    return make_partnership("Neighbour Safeguarding Children Partnership", slug="neighbour", short_name="NSCP",
                            contact_email="rapid.reviews@neighbour.example")


@pytest.fixture
def neighbour_bu(neighbour, traveller):
    return make_user(Role.BUSINESS_UNIT, partnership=neighbour, full_name="Nell Neighbour")


@pytest.fixture
def neighbour_members(neighbour):
    """The neighbour's own core panel, quorate on its own."""
    return [make_member(partner=partner, partnership=neighbour, full_name=f"Neighbour {partner}",
                        chair=partner == StatutoryPartner.LOCAL_AUTHORITY)
            for partner in (StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE)]


@pytest.fixture
def neighbour_panel(neighbour, neighbour_bu, neighbour_members):
    case = CaseFactory(partnership=neighbour, sin_notified_on=D(2026, 3, 2))
    return services.panel_set_up(case=case, invitee_ids=[], actor=neighbour_bu)


@pytest.fixture
def taking_part(panel, neighbour, bu):
    """The case led by the default partnership, with the neighbour taking part (a joint cross-border review)."""
    CaseParticipation.objects.create(case=panel.case, partnership=neighbour, reason="The child lives there",
                                     added_by=bu)
    return panel.case


def _client(client, user):
    client.force_login(user)
    return client


# ---- one panel a day, within a partnership --------------------------------------------------------------------

def test_a_second_partnerships_panel_on_the_same_day_is_allowed(panel, bu, neighbour_panel, neighbour_bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12), 10), actor=bu, venue="Town Hall")
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12), 10), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    neighbour_panel.refresh_from_db()
    assert (neighbour_panel.state, neighbour_panel.meeting_date) == (PanelState.SCHEDULED, D(2026, 3, 12))
    assert neighbour_panel.partnership == neighbour_panel.case.partnership != panel.case.partnership


def test_a_second_partnerships_panel_on_the_next_working_day_is_allowed(panel, bu, neighbour_panel, neighbour_bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 13)), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    neighbour_panel.refresh_from_db()
    assert neighbour_panel.meeting_date == D(2026, 3, 13)


def test_the_same_partnerships_second_panel_on_the_same_day_is_refused(panel, bu, neighbour_panel, neighbour_bu):
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12)), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    second = services.panel_set_up(case=CaseFactory(partnership=neighbour_panel.case.partnership,
                                                    sin_notified_on=D(2026, 3, 2)),
                                   invitee_ids=[], actor=neighbour_bu)
    with pytest.raises(DomainError, match="never held on the same day"):
        services.panel_schedule(panel=second, meeting_at=at(D(2026, 3, 12), 15), actor=neighbour_bu,
                                venue="Room 2")
    with pytest.raises(DomainError, match="back-to-back"):
        services.panel_schedule(panel=second, meeting_at=at(D(2026, 3, 11)), actor=neighbour_bu, venue="Room 2")
    second.refresh_from_db()
    assert (second.state, second.meeting_date) == (PanelState.SETTING_UP, None)


def test_the_database_allows_two_partnerships_the_same_day_and_refuses_one_partnership_twice(
        panel, bu, neighbour_panel, neighbour_bu):
    from django.db import IntegrityError

    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    with transaction.atomic():
        Panel.objects.filter(pk=neighbour_panel.pk).update(state=PanelState.SCHEDULED, meeting_date=D(2026, 3, 12),
                                                           meeting_at=at(D(2026, 3, 12), 14))
    second = services.panel_set_up(case=CaseFactory(sin_notified_on=D(2026, 3, 2)), invitee_ids=[], actor=bu)
    with pytest.raises(IntegrityError), transaction.atomic():
        Panel.objects.filter(pk=second.pk).update(state=PanelState.SCHEDULED, meeting_date=D(2026, 3, 12),
                                                  meeting_at=at(D(2026, 3, 12), 14))


def test_a_partnerships_closure_day_is_not_anothers(panel, bu, neighbour_panel, neighbour_bu, neighbour):
    from rapidreview.clocks.models import NonWorkingDay

    NonWorkingDay.objects.create(partnership=neighbour, date=D(2026, 3, 12), reason="Neighbour office move")
    with pytest.raises(DomainError, match="not a working day"):
        services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12)), actor=neighbour_bu,
                                venue="Neighbour Civic Centre")
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")


def test_the_calendar_lists_only_the_partnerships_own_panels(client, panel, bu, neighbour_panel, neighbour_bu):
    services.panel_schedule(panel=panel, meeting_at=at(D(2026, 3, 12)), actor=bu, venue="Town Hall")
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12)), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    page = _client(client, neighbour_bu).get(reverse("panels:calendar")).content.decode()
    assert neighbour_panel.case.reference in page and panel.case.reference not in page
    card = business_unit_card(_Request(neighbour_bu))
    assert [p.case for p in card["upcoming"]] == [neighbour_panel.case]
    assert not any(p.same_day_clash for p in card["upcoming"])


# ---- the register: core members, case-by-case invitees, substitutes ---------------------------------------------

def test_the_panel_invites_the_leading_partnerships_register_only(panel, members, neighbour_panel,
                                                                 neighbour_members):
    assert not panel.invitations.filter(user__in=neighbour_members).exists()
    assert set(neighbour_panel.invitations.values_list("user_id", flat=True)) == {m.pk for m in neighbour_members}


def test_case_by_case_choices_are_the_leading_partnerships_people(case, members, neighbour):
    agency = members["housing_agency"]
    case.involved_agencies.add(agency)
    make_member(core=False, title="Neighbour housing", agency=agency, partnership=neighbour,
                full_name="Nadia Neighbour-Housing")
    make_user(Role.AGENCY_LEAD, agency=agency, partnership=neighbour, full_name="Lee Neighbour-Lead")
    make_user(Role.AGENCY_LEAD, agency=agency, full_name="Lola Own-Lead")
    names = [row["user"].full_name for row in services.invitee_choices(case)]
    assert names == ["Hugo Housing", "Lola Own-Lead"]
    outsider = RoleAssignment.objects.get(user__full_name="Nadia Neighbour-Housing").user
    with pytest.raises(DomainError, match="Choose people from the list"):
        services.panel_set_up(case=case, invitee_ids=[outsider.pk], actor=make_user(Role.BUSINESS_UNIT))


def test_a_substitute_must_be_on_the_cases_partnerships_register(scheduled, members, bu, neighbour_members):
    conflict = services.conflict_declare(case=scheduled.case, user=members["police"], nature="Related",
                                         implications="Cannot vote", actor=members["police"])
    assert not set(neighbour_members) & set(selectors.substitute_candidates(conflict))
    with pytest.raises(DomainError, match="panel membership register"):
        services.conflict_agree_substitute(conflict=conflict, substitute=neighbour_members[2], actor=bu)
    conflict.refresh_from_db()
    assert conflict.substitute is None
    assert not scheduled.invitations.filter(user=neighbour_members[2]).exists()


def test_another_partnerships_panel_member_cannot_declare_a_conflict_on_a_case(scheduled, neighbour_members):
    with pytest.raises(DomainError, match="not a panel member"):
        services.conflict_declare(case=scheduled.case, user=neighbour_members[0], nature="x", implications="y",
                                  actor=neighbour_members[0])
    assert not ConflictOfInterest.objects.exists()


def test_the_register_page_and_its_choices_are_the_partnerships_own(client, members, neighbour_bu,
                                                                   neighbour_members):
    client = _client(client, neighbour_bu)
    page = client.get(reverse("panels:members")).content.decode()
    assert "Neighbour police" in page and "Pete Police" not in page
    form = page_form(client, reverse("panels:member_add"))
    offered = " ".join(label for _, label in form.options("user"))
    assert "Neighbour police" in offered and "Pete Police" not in offered and "Laura Authority" not in offered
    theirs = RoleAssignment.objects.get(user=members["police"], role=Role.PANEL_MEMBER)
    for name in ("panels:member_edit", "panels:member_end"):
        assert client.post(reverse(name, args=[theirs.pk]), {"title": "Taken over"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Public Protection Unit" and theirs.ends_on is None


def test_a_member_added_through_the_page_sits_on_the_partnerships_register(client, neighbour, neighbour_bu):
    person = make_user(Role.AGENCY_LEAD, partnership=neighbour, full_name="Nia Newseat")
    form = page_form(_client(client, neighbour_bu), reverse("panels:member_add"))
    accepted(form.fill(user=person, title="Designated Nurse", core="yes", voting="yes",
                       starts_on=D(2026, 3, 2)).submit())
    seat = RoleAssignment.objects.get(user=person, role=Role.PANEL_MEMBER)
    assert seat.partnership == neighbour


# ---- invitations: the partnership's name, contact and links -----------------------------------------------------

def test_the_invitation_comes_from_the_cases_partnership_and_its_links_open_there(
        neighbour_panel, neighbour_bu, neighbour_members, neighbour, sending):
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12)), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    with sending():
        services.panel_send_invitations(panel=neighbour_panel, actor=neighbour_bu)
    message = next(m for m in mail.outbox if m.to == [neighbour_members[0].email])
    assert message.reply_to == ["rapid.reviews@neighbour.example"]
    assert neighbour.name in message.from_email
    reply = reverse("panels:reply", args=[neighbour_panel.case_id]) + "?partnership=neighbour"
    assert reply in message.body
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    event = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:rapid.reviews@neighbour.example"
    assert event["organizer"].params["CN"] == "NSCP"
    assert str(event["url"]).endswith("?partnership=neighbour")
    description = str(event["description"])
    assert description.startswith(f"{neighbour.name} rapid review panel")
    assert "rapid.reviews@neighbour.example" in description


# ---- a partnership taking part sees the panel and changes nothing ----------------------------------------------

def test_a_partnership_taking_part_sees_the_panel_page_without_its_actions(client, scheduled, taking_part,
                                                                          neighbour_bu):
    response = _client(client, neighbour_bu).get(reverse("panels:panel", args=[taking_part.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("panels:schedule", args=[taking_part.pk]) not in page
    assert reverse("panels:attendance", args=[taking_part.pk]) not in page


@pytest.mark.parametrize("name", ["panels:set_up", "panels:schedule", "panels:cancel", "panels:agenda",
                                  "panels:attendance", "panels:held", "panels:send_invitations",
                                  "panels:agenda_send", "panels:conflict_record"])
def test_a_partnership_taking_part_cannot_run_the_panel(client, scheduled, taking_part, bu, neighbour_bu, name):
    url = reverse(name, args=[taking_part.pk])
    before = Panel.objects.filter(pk=scheduled.pk).values().get()
    client = _client(client, neighbour_bu)
    if name not in ("panels:send_invitations", "panels:agenda_send"):
        assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Taken over", "agenda": "1. Ours", "invitees": []}).status_code == 403
    assert Panel.objects.filter(pk=scheduled.pk).values().get() == before


def test_the_schedule_form_posted_by_a_partnership_taking_part_changes_nothing(client, scheduled, taking_part,
                                                                              bu, neighbour_bu):
    form = page_form(_client(client, bu), reverse("panels:schedule", args=[taking_part.pk]))
    form.fill(meeting_date=D(2026, 3, 13), venue="Elsewhere")
    client.force_login(neighbour_bu)
    assert form.submit().status_code == 403
    scheduled.refresh_from_db()
    assert (scheduled.meeting_date, scheduled.venue) == (D(2026, 3, 12), "Town Hall")


@pytest.mark.parametrize("name", ["panels:panel", "panels:set_up", "panels:schedule", "panels:attendance",
                                  "panels:send_invitations"])
def test_another_partnerships_business_unit_gets_not_found(client, scheduled, neighbour_bu, name):
    client = _client(client, neighbour_bu)
    url = reverse(name, args=[scheduled.case_id])
    if name != "panels:send_invitations":
        assert client.get(url).status_code == 404
    if name != "panels:panel":  # the panel page is read with GET only
        assert client.post(url, {"venue": "Taken over"}).status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.venue == "Town Hall"


def test_conflicts_are_handled_by_the_leading_partnership_only(client, scheduled, taking_part, members, bu,
                                                               neighbour_bu):
    conflict = services.conflict_declare(case=scheduled.case, user=members["police"], nature="Related",
                                         implications="Cannot vote", actor=members["police"])
    client = _client(client, neighbour_bu)
    assert scheduled.case.reference not in client.get(reverse("panels:conflicts")).content.decode()
    for name in ("panels:conflict_handle", "panels:conflict_substitute"):
        assert client.post(reverse(name, args=[conflict.pk]), {"handling": "Ours now"}).status_code == 404
    conflict.refresh_from_db()
    assert conflict.handling == ""
    card = business_unit_card(_Request(neighbour_bu))
    assert card is None or not card["unhandled"]


def test_liaison_belongs_to_the_partnership_and_lists_only_its_cases(client, traveller, bu, neighbour,
                                                                     neighbour_bu):
    ours = [CaseFactory(partnership=neighbour, sin_notified_on=D(2026, 3, d)) for d in (2, 3)]
    theirs = [CaseFactory(sin_notified_on=D(2026, 3, d)) for d in (2, 3)]
    client = _client(client, neighbour_bu)
    form = page_form(client, reverse("panels:liaison"))
    offered = " ".join(label for _, label in form.options("cases"))
    assert all(c.reference in offered for c in ours) and not any(c.reference in offered for c in theirs)
    accepted(form.fill(cases=[str(c.pk) for c in ours], liaised_on=D(2026, 3, 2), contact="Nell with the Panel",
                       timelines_agreed="Both within 12 working days").submit())
    liaison = NationalPanelLiaison.objects.get()
    assert liaison.partnership == neighbour
    assert selectors.liaison_for(ours[0]) == liaison and selectors.liaison_for(theirs[0]) is None
    with pytest.raises(DomainError, match="your partnership leads"):
        services.liaison_record(partnership=neighbour, cases=theirs, liaised_on=D(2026, 3, 2), contact="x",
                                timelines_agreed="y", actor=neighbour_bu)


def test_clusters_are_looked_for_within_the_partnership(traveller, bu, neighbour):
    ours = CaseFactory(sin_notified_on=D(2026, 3, 2))
    CaseFactory(partnership=neighbour, sin_notified_on=D(2026, 3, 3))
    assert selectors.cluster_for(ours) == []
    assert business_unit_card(_Request(bu)) is None or business_unit_card(_Request(bu))["clusters"] == []


def test_a_members_card_shows_the_panels_of_the_partnership_they_act_in(scheduled, neighbour_panel, neighbour,
                                                                       neighbour_bu, members):
    # Pete Police also sits on the neighbour's register, and is invited to both panels.
    RoleAssignment.objects.create(user=members["police"], partnership=neighbour, role=Role.PANEL_MEMBER,
                                  core=False, voting=True, statutory_partner=StatutoryPartner.POLICE,
                                  starts_on=D(2020, 1, 1))
    services.panel_set_up(case=neighbour_panel.case, invitee_ids=[members["police"].pk], actor=neighbour_bu)
    services.panel_schedule(panel=neighbour_panel, meeting_at=at(D(2026, 3, 12)), actor=neighbour_bu,
                            venue="Neighbour Civic Centre")
    police = members["police"]
    police.act_in(scheduled.case.partnership)
    assert [i.panel for i in member_card(_Request(police))["invitations"]] == [scheduled]
    police.act_in(neighbour)
    assert [i.panel for i in member_card(_Request(police))["invitations"]] == [neighbour_panel]


def test_an_agency_of_both_partnerships_is_no_reason_to_mix_their_registers(case, members, neighbour):
    shared = AgencyFactory(name="Shared Police Force", statutory_partner=StatutoryPartner.POLICE)
    make_member(partner=StatutoryPartner.POLICE, agency=shared, partnership=neighbour, full_name="Sam Shared")
    panel = services.panel_set_up(case=case, invitee_ids=[], actor=make_user(Role.BUSINESS_UNIT))
    assert "Sam Shared" not in set(panel.invitations.values_list("user__full_name", flat=True))


def _living_in(home: str, **fields):
    """A case whose referral gives ``home`` as the child's home local authority."""
    case = CaseFactory(**fields)
    ReferralFactory(case=case, child_home_la=home)
    return case


def test_another_partnerships_incident_about_a_child_of_the_same_home_authority_is_flagged_without_details(
        client, traveller, bu, neighbour, neighbour_bu, members):
    ours = _living_in("Hackney", sin_notified_on=D(2026, 3, 2))
    theirs = _living_in("hackney", partnership=neighbour, sin_notified_on=D(2026, 3, 4),
                        child_first_name="Zebedee", reference="NSCP-2026-0001")
    # Not flagged: another home authority, weeks later, a closed case.
    _living_in("Islington", partnership=neighbour, sin_notified_on=D(2026, 3, 3))
    _living_in("Hackney", partnership=neighbour, sin_notified_on=D(2026, 5, 4))
    _living_in("Hackney", partnership=neighbour, sin_notified_on=D(2026, 3, 3),
               stage=Stage.CLOSED)

    assert selectors.neighbouring_notifications(ours) == [
        {"partnership": neighbour, "notified_on": D(2026, 3, 4), "home": "Hackney"}]
    assert selectors.cluster_for(ours) == []  # the partnership's own cases only
    page = _client(client, bu).get(reverse("referrals:case_detail", args=[ours.pk])).content.decode()
    assert "about a child from the same home local authority (Hackney)" in page
    assert "Neighbour Safeguarding Children Partnership, notified 4 March 2026" in page
    assert "rapid.reviews@neighbour.example" in page
    assert theirs.reference not in page and "Zebedee" not in page and str(theirs.pk) not in page

    # The neighbour's business unit sees ours the same way; a panel member of ours is not shown it.
    theirs_page = _client(client, neighbour_bu).get(reverse("referrals:case_detail", args=[theirs.pk]))
    assert f"{default_partnership().name}, notified 2 March 2026" in theirs_page.content.decode()
    assert selectors.neighbouring_notifications(theirs)[0]["notified_on"] == D(2026, 3, 2)
    assert selectors.cluster_alert(members["la"], ours) == {"cluster": [], "neighbours": [], "liaison": None}
