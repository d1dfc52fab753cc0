"""The vote: who may vote, quorum, the tally, and closing the vote."""

import pytest

from decisions import services
from decisions.models import MeetingRecord, Vote
from panels.models import Attendance, PanelInvitation
from rapidreview.db import DomainError
from referrals.models import Stage

from .conftest import close_vote
from .factories import HEALTH, LA, POLICE


def test_a_voting_member_present_records_their_own_vote(case, people):
    vote = services.vote_record(case=case, member=people[LA], choice="yes", actor=people[LA])
    assert vote.choice == "yes" and not vote.on_behalf


def test_the_business_unit_records_a_vote_on_a_members_behalf(case, people, bu):
    vote = services.vote_record(case=case, member=people[HEALTH], choice="no", actor=bu)
    assert vote.recorded_by == bu and vote.on_behalf


def test_a_member_cannot_record_a_vote_for_someone_else(case, people):
    with pytest.raises(DomainError, match="business unit"):
        services.vote_record(case=case, member=people[HEALTH], choice="no", actor=people[LA])


def test_a_non_voting_member_cannot_vote(case, people, bu):
    with pytest.raises(DomainError, match="cannot vote"):
        services.vote_record(case=case, member=people["non_voting"], choice="yes", actor=bu)
    assert not Vote.objects.exists()


def test_a_conflicted_member_cannot_vote(case, people, bu):
    with pytest.raises(DomainError, match="cannot vote"):
        services.vote_record(case=case, member=people["conflicted"], choice="yes", actor=bu)


def test_a_vote_without_quorum_is_refused(case, people, bu):
    PanelInvitation.objects.filter(user=people[POLICE]).update(attendance=Attendance.APOLOGIES)
    with pytest.raises(DomainError, match="not quorate"):
        services.vote_record(case=case, member=people[LA], choice="yes", actor=people[LA])


def test_changing_a_vote_keeps_one_vote_per_member(case, people):
    services.vote_record(case=case, member=people[LA], choice="yes", actor=people[LA])
    services.vote_record(case=case, member=people[LA], choice="abstain", actor=people[LA])
    assert list(Vote.objects.values_list("choice", flat=True)) == ["abstain"]


def test_closing_the_vote_moves_the_case_to_the_decision_stage(case, people, bu):
    close_vote(case, people, bu)
    assert case.stage == Stage.DECISION
    assert MeetingRecord.objects.get(case=case).vote_closed
    assert case.events.filter(to_stage=Stage.DECISION, note="Yes 3, no 0, abstain 0").exists()


def test_the_vote_cannot_close_with_no_votes(case, people, bu):
    with pytest.raises(DomainError, match="No votes"):
        services.vote_close(case=case, actor=bu)


def test_no_vote_is_recorded_after_the_vote_closed(case, people, bu):
    close_vote(case, people, bu)
    with pytest.raises(DomainError, match="rapid review"):
        services.vote_record(case=case, member=people[LA], choice="no", actor=people[LA])


def test_voting_page_shows_the_tally_and_takes_a_members_vote(client, case, people):
    services.vote_record(case=case, member=people[HEALTH], choice="no", actor=people[HEALTH])
    client.force_login(people[LA])
    response = client.post(f"/decisions/case/{case.pk}/vote/", {"own-choice": "yes"})
    assert response.status_code == 302
    page = client.get(f"/decisions/case/{case.pk}/vote/").content.decode()
    assert "Voter health" in page and "Voter local_authority" in page
    assert Vote.objects.get(member=people[LA]).choice == "yes"


def test_a_non_voting_member_gets_no_voting_form_and_cannot_post_one(client, case, people):
    client.force_login(people["non_voting"])
    assert b"Record my vote" not in client.get(f"/decisions/case/{case.pk}/vote/").content
    response = client.post(f"/decisions/case/{case.pk}/vote/", {"own-choice": "yes"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_the_business_unit_records_on_behalf_through_the_page(client, case, people, bu):
    client.force_login(bu)
    response = client.post(f"/decisions/case/{case.pk}/vote/",
                           {"behalf-member": people[POLICE].pk, "behalf-choice": "abstain"})
    assert response.status_code == 302
    assert Vote.objects.get(member=people[POLICE]).recorded_by == bu


def test_a_panel_member_cannot_close_the_vote(client, case, people):
    client.force_login(people[LA])
    assert client.post(f"/decisions/case/{case.pk}/vote/close/").status_code == 403


def test_closing_the_vote_only_accepts_post(client, case, people, bu):
    client.force_login(bu)
    assert client.get(f"/decisions/case/{case.pk}/vote/close/").status_code == 405


def test_someone_off_the_panel_cannot_open_the_vote(client, case, people, agency_lead):
    client.force_login(agency_lead)
    assert client.get(f"/decisions/case/{case.pk}/vote/").status_code == 403


CLOSE_BUTTON = ">Close the vote</button>"


def test_the_close_button_waits_for_the_first_vote(client, case, people, bu):
    client.force_login(bu)
    page = client.get(f"/decisions/case/{case.pk}/vote/").content.decode()
    assert CLOSE_BUTTON not in page and "The vote can be closed once at least one vote is recorded." in page
    services.vote_record(case=case, member=people[LA], choice="yes", actor=people[LA])
    page = client.get(f"/decisions/case/{case.pk}/vote/").content.decode()
    assert CLOSE_BUTTON in page and "can be closed once" not in page


def test_without_a_panel_the_vote_page_explains_instead_of_offering_to_close(client, case, bu):
    client.force_login(bu)
    page = client.get(f"/decisions/case/{case.pk}/vote/").content.decode()
    assert "No panel has been set up for this case." in page
    assert CLOSE_BUTTON not in page and "once a panel is set up" in page


def test_without_quorum_the_vote_page_explains_instead_of_offering_to_close(client, case, people, bu):
    services.vote_record(case=case, member=people[LA], choice="yes", actor=people[LA])
    PanelInvitation.objects.filter(user=people[POLICE]).update(attendance=Attendance.APOLOGIES)
    client.force_login(bu)
    page = client.get(f"/decisions/case/{case.pk}/vote/").content.decode()
    assert CLOSE_BUTTON not in page and "once the panel is quorate" in page
