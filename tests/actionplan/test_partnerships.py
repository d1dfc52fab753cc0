"""Each partnership's action plan is its own (issue 18, ADR 0015).

Partnership A is the tests' ``default_partnership()``; B is another partnership on the same installation with its
own working group and business unit. An action is on the plan of the partnership leading its case; B's people see
none of A's actions, meetings or import mappings, and B's exports hold only B's rows.
"""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from actionplan.exports import IMPORT_COLUMNS
from actionplan.importer import check_rows, import_save, read_workbook, remember_mapping, suggest_mapping
from actionplan.models import Action, ActionSource, ActionUpdate, ImportColumnMapping, WorkingGroupMeeting
from actionplan.selectors import action_reminder_owners, changes_since, may_add_action
from actionplan.services import action_create, action_note_add, meeting_record
from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock
from rapidreview.db import DomainError
from referrals.models import CaseParticipation
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.actionplan.factories import in_arrangements, make_action
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from tests.files import downloaded
from tests.forms_as_rendered import accepted, page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def a():
    return default_partnership()


@pytest.fixture
def b():
    return make_partnership("Borough B Safeguarding Children Partnership", slug="borough-b", short_name="BBSCP")


@pytest.fixture
def shared_police(a, b):
    """A police force in both partnerships' arrangements, as the Metropolitan Police is in the demo's."""
    police = AgencyFactory(name="Shared Police")
    in_arrangements(police, a)
    in_arrangements(police, b)
    return police


@pytest.fixture
def b_group(b):
    return make_user(Role.WORKING_GROUP, partnership=b, full_name="Bev Group")


@pytest.fixture
def b_unit(b):
    return make_user(Role.BUSINESS_UNIT, partnership=b, full_name="Bo Borough")


def b_action(b, b_group, police, description="B's own action"):
    return make_action(case=CaseFactory(partnership=b, reference="B-2026-001"), agency=police, actor=b_group,
                       description=description)


def test_an_action_goes_on_the_plan_of_the_partnership_leading_its_case(a, b, working_group, shared_police):
    action = make_action(agency=shared_police, actor=working_group)
    assert action.partnership == a
    assert Clock.objects.get(subject_id=action.pk).partnership_id == a.pk
    with pytest.raises(DomainError, match="led by another partnership"):
        action_create(case=CaseFactory(), source=ActionSource.RAPID_REVIEW, learning="L", description="D",
                      agency=shared_police, due_on=timezone.localdate(), actor=working_group, partnership=b)
    with pytest.raises(DomainError, match="which partnership"):
        action_create(case=None, historic_reference="CSPR Child F (2023)", source=ActionSource.CSPR, learning="L",
                      description="D", agency=shared_police, due_on=timezone.localdate(), actor=working_group)
    historic = action_create(case=None, historic_reference="CSPR Child F (2023)", source=ActionSource.CSPR,
                             learning="L", description="D", agency=shared_police, due_on=timezone.localdate(),
                             actor=working_group, partnership=b)
    assert historic.partnership == b


def test_bs_working_group_sees_none_of_as_actions(client, a, b, working_group, b_group, shared_police):
    mine = make_action(agency=shared_police, actor=working_group, description="A's own action")
    b_action(b, b_group, shared_police)
    client.force_login(b_group)
    body = client.get(reverse("actionplan:list")).content.decode()
    assert "B&#x27;s own action" in body and "A&#x27;s own action" not in body
    for name in ("detail", "edit", "progress", "send_back", "evidence_add"):
        assert client.get(reverse(f"actionplan:{name}", args=[mine.pk])).status_code == 404, name
    assert client.post(reverse("actionplan:confirm", args=[mine.pk])).status_code == 404
    assert client.post(reverse("actionplan:progress", args=[mine.pk]),
                       {"status": "completed", "note": "Done"}).status_code == 404
    mine.refresh_from_db()
    assert mine.status == "not_started" and mine.updates.count() == 1


def test_exports_hold_only_the_partnerships_own_rows(client, a, b, working_group, b_group, shared_police):
    make_action(agency=shared_police, actor=working_group, description="A's own action")
    b_action(b, b_group, shared_police)
    client.force_login(b_group)
    rows = list(csv.reader(io.StringIO(downloaded(client.get(reverse("actionplan:export_csv"))).decode("utf-8-sig"))))
    assert [r[3] for r in rows[1:]] == ["B's own action"]
    book = load_workbook(io.BytesIO(client.get(reverse("actionplan:export_xlsx")).content))
    assert [r[3] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["B's own action"]
    # Filtering by A's case reference finds nothing either.
    rows = list(csv.reader(io.StringIO(downloaded(client.get(reverse("actionplan:export_csv"), {"case": "LG-00001"}))
                                       .decode("utf-8-sig"))))
    assert rows[1:] == []


def test_an_agency_lead_in_both_partnerships_sees_their_agencys_actions_in_the_one_they_act_in(
        client, a, b, working_group, b_group, shared_police):
    lead = make_user(Role.AGENCY_LEAD, agency=shared_police, full_name="Pat Both")
    lead.role_assignments.create(partnership=b, role=Role.AGENCY_LEAD, starts_on=timezone.localdate().replace(day=1))
    in_a = make_action(agency=shared_police, actor=working_group, description="A's own action")
    in_b = b_action(b, b_group, shared_police)
    client.force_login(lead)
    body = client.get(reverse("actionplan:list"), {"partnership": a.slug}).content.decode()
    assert "A&#x27;s own action" in body and "B&#x27;s own action" not in body
    assert client.get(reverse("actionplan:detail", args=[in_b.pk])).status_code == 404
    body = client.get(reverse("actionplan:list"), {"partnership": b.slug}).content.decode()
    assert "B&#x27;s own action" in body and "A&#x27;s own action" not in body
    assert client.get(reverse("actionplan:detail", args=[in_a.pk])).status_code == 404
    assert client.get(reverse("actionplan:detail", args=[in_b.pk])).status_code == 200
    # Reminders about B's action go to the agency's leads in B, not to leads who serve only A.
    only_a = make_user(Role.AGENCY_LEAD, agency=shared_police, full_name="Alex OnlyA")
    owners = action_reminder_owners(in_b, None)
    assert lead in owners and only_a not in owners


def test_the_action_form_offers_the_partnerships_agencies_and_people_and_finds_only_its_cases(
        client, a, b, working_group, b_group, shared_police):
    in_arrangements(AgencyFactory(name="B Council"), b)
    a_only = in_arrangements(AgencyFactory(name="A Council"), a)
    CaseFactory(reference="A-2026-007")
    CaseFactory(partnership=b, reference="B-2026-007")
    client.force_login(b_group)
    form = page_form(client, reverse("actionplan:create"))
    assert {label for _, label in form.controls["agency"].options} == {"---------", "B Council", "Shared Police"}
    owners = {label for _, label in form.controls["owner"].options}
    assert any("Bev Group" in o for o in owners) and not any("Wendy Group" in o for o in owners)
    form.fill(case="A-2026-007", source=ActionSource.RAPID_REVIEW, learning="L", description="D",
              agency=shared_police, due_on=datetime.date(2099, 1, 1))
    assert "There is no case with that reference" in form.submit().content.decode()
    with pytest.raises(AssertionError, match="offers no option"):
        page_form(client, reverse("actionplan:create")).fill(agency=a_only)
    form = page_form(client, reverse("actionplan:create"))
    form.fill(case="B-2026-007", source=ActionSource.RAPID_REVIEW, learning="L", description="D",
              agency=shared_police, due_on=datetime.date(2099, 1, 1))
    accepted(form.submit())
    assert Action.objects.get(description="D").partnership == b


def test_meetings_are_the_partnerships_own(client, a, b, working_group, b_group):
    day = datetime.date(2026, 3, 2)
    mine = meeting_record(partnership=a, held_on=day, notes="A's meeting", actor=working_group)
    meeting_record(partnership=b, held_on=day, notes="B's meeting", actor=b_group)  # the same day is fine
    with pytest.raises(DomainError, match="already recorded"):
        meeting_record(partnership=b, held_on=day, notes="Again", actor=b_group)
    with pytest.raises(DomainError, match="Only the working group"):
        meeting_record(partnership=a, held_on=day + datetime.timedelta(days=1), notes="Not mine", actor=b_group)
    client.force_login(b_group)
    body = client.get(reverse("actionplan:meetings")).content.decode()
    assert str(mine.pk) not in body
    assert client.get(reverse("actionplan:meeting", args=[mine.pk])).status_code == 404
    assert WorkingGroupMeeting.objects.filter(partnership=b).count() == 1


def test_each_update_carries_its_actions_plan_and_a_meeting_shows_only_its_plans_updates(
        a, b, working_group, b_group, shared_police):
    # The meeting pages read one plan's updates through the plan copied onto each update (ADR 0033).
    since = timezone.localdate() - datetime.timedelta(days=30)
    mine = make_action(agency=shared_police, actor=working_group, description="A's own action")
    theirs = b_action(b, b_group, shared_police)
    old = timezone.now() - datetime.timedelta(days=40)
    Action.objects.filter(pk__in=[mine.pk, theirs.pk]).update(created_at=old)  # not new since the last meeting
    mine_note = action_note_add(action=mine, actor=working_group, note="A's progress")
    theirs_note = action_note_add(action=theirs, actor=b_group, note="B's progress")
    assert (mine_note.partnership_id, theirs_note.partnership_id) == (a.pk, b.pk)
    assert all(update.partnership_id == update.action.partnership_id
               for update in ActionUpdate.objects.select_related("action"))
    assert [u.note for u in changes_since(partnership=a, since=since)["progress"]] == ["A's progress"]
    assert [u.note for u in changes_since(partnership=b, since=since)["progress"]] == ["B's progress"]


def test_a_partnership_taking_part_in_a_case_does_not_add_actions_to_it(a, b, working_group, b_group):
    case = CaseFactory()
    CaseParticipation.objects.create(case=case, partnership=b, reason="The child lives in B.", added_by=working_group)
    b_group.act_in(b)
    working_group.act_in(a)
    assert not may_add_action(b_group, case) and may_add_action(working_group, case)


# The import


def _xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append([c.name for c in IMPORT_COLUMNS] + ["Action ID"])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check(content, actor, partnership):
    workbook = read_workbook(io.BytesIO(content))
    return check_rows(workbook, suggest_mapping(workbook.sheet.headings, partnership=partnership), actor=actor,
                      partnership=partnership)


def test_column_mappings_are_remembered_per_partnership(a, b, working_group, b_group):
    remember_mapping(partnership=a, headings=["Our column 7"], mapping={0: "learning"}, actor=working_group)
    assert suggest_mapping(["Our column 7"], partnership=a) == {0: "learning"}
    assert suggest_mapping(["Our column 7"], partnership=b) == {0: "ignore"}
    remember_mapping(partnership=b, headings=["Our column 7"], mapping={0: "description"}, actor=b_group)
    assert dict(ImportColumnMapping.objects.values_list("partnership_id", "field")) == {a.pk: "learning",
                                                                                        b.pk: "description"}


def test_an_import_reads_only_the_partnerships_cases_and_never_changes_anothers_action(
        a, b, working_group, b_group, shared_police):
    theirs = make_action(case=CaseFactory(reference="RR-2026-0001"), agency=shared_police, actor=working_group,
                         description="A's own action")
    CaseFactory(partnership=b, reference="RR-2026-0002")
    # A's case is not one of B's: its reference is unknown in B.
    result = _check(_xlsx([["RR-2026-0001", "Rapid review", "Learning", "Attach to A's case", "Shared Police", "",
                            "31/03/2099"]]), b_group, b)
    assert result.rows[0].errors == ["No case has the reference “RR-2026-0001”."]
    # A's action ID on a row of B's plan: not on B's plan, so the row is a new action of B's, and A's is untouched.
    row = ["RR-2026-0002", "Rapid review", "Learning", "A's own action", "Shared Police", "", "31/03/2099",
           "Completed", "Changed by B", str(theirs.pk)]
    result = _check(_xlsx([row]), b_group, b)
    assert result.ok, [r.errors for r in result.rows]
    assert result.new_count == 1 and result.changed_count == 0
    assert "not on the plan" in " ".join(result.rows[0].warnings)
    assert import_save(result=result, actor=b_group) == (1, 0)
    theirs.refresh_from_db()
    assert theirs.status == "not_started" and not theirs.updates.filter(note__contains="Changed by B").exists()
    added = Action.objects.get(partnership=b)
    assert added.case.partnership == b


def test_the_import_page_works_in_the_acting_partnership(client, a, b, b_unit, shared_police):
    CaseFactory(partnership=b, reference="RR-2026-0009")
    client.force_login(b_unit)
    content = _xlsx([["RR-2026-0009", "Rapid review", "Learning", "Imported in B", "Shared Police", "",
                      "31/03/2099"]])
    client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", content)})
    accepted(page_form(client, reverse("actionplan:import_columns")).submit())
    assert ImportColumnMapping.objects.filter(partnership=b).exists()
    assert not ImportColumnMapping.objects.filter(partnership=a).exists()
    assert client.post(reverse("actionplan:import_preview")).status_code == 302
    assert Action.objects.get(description="Imported in B").partnership == b
