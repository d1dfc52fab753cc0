"""Every form of the action plan, submitted as its page rendered it (tests/forms_as_rendered.py)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from actionplan.forms import ActionForm, EvidenceForm, FilterForm, ImportForm, MeetingForm, ProgressForm, SendBackForm
from actionplan.models import Action, ActionEvidence, ActionStatus, WorkingGroupMeeting
from tests.actionplan.factories import LedgerCaseFactory, make_action
from tests.forms_as_rendered import accepted, page_form, submits, upload

pytestmark = pytest.mark.django_db


@submits(ActionForm, FilterForm)
def test_the_working_group_adds_an_action_edits_it_and_filters_the_plan(client, working_group, police):
    case = LedgerCaseFactory(reference="RR-2026-042")
    client.force_login(working_group)
    form = page_form(client, "/action-plan/new/")
    form.fill(case="RR-2026-042", source=form.options("source")[0][0], learning="Fathers unseen",
              description="Think family training", agency=police, due_on=datetime.date(2099, 3, 31))
    accepted(form.submit())
    action = Action.objects.get(case=case)
    accepted(page_form(client, f"/action-plan/{action.pk}/change/").fill(description="Think family training for all")
             .submit())
    action.refresh_from_db()
    assert action.description == "Think family training for all"
    form = page_form(client, "/action-plan/", containing="status")
    form.fill(agency=police, status=ActionStatus.NOT_STARTED)
    response = form.submit()
    assert response.status_code == 200 and "RR-2026-042" in response.content.decode()


@submits(ProgressForm, EvidenceForm, SendBackForm)
def test_a_lead_records_progress_and_evidence_and_the_working_group_sends_it_back(client, working_group, police,
                                                                                  police_lead):
    action = make_action(agency=police, actor=working_group)
    client.force_login(police_lead)
    accepted(page_form(client, f"/action-plan/{action.pk}/progress/").fill(status=ActionStatus.COMPLETED,
                                                                        note="Training delivered").submit())
    accepted(page_form(client, f"/action-plan/{action.pk}/evidence/").fill(text="Attendance register").submit())
    assert ActionEvidence.objects.filter(action=action).exists()
    client.force_login(working_group)
    accepted(page_form(client, f"/action-plan/{action.pk}/send-back/").fill(note="Add the register").submit())
    action.refresh_from_db()
    assert action.status != ActionStatus.COMPLETED


@submits(MeetingForm)
def test_the_working_group_records_a_meeting(client, working_group):
    client.force_login(working_group)
    accepted(page_form(client, "/action-plan/meetings/new/").fill(held_on=datetime.date(2026, 3, 2), notes="Quorate")
             .submit())
    assert WorkingGroupMeeting.objects.filter(held_on=datetime.date(2026, 3, 2)).exists()


@submits(ImportForm)
def test_the_working_group_fills_in_the_template_and_uploads_it(client, working_group, police):
    LedgerCaseFactory(reference="RR-2025-001")
    client.force_login(working_group)
    template = client.get("/action-plan/import/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content) if template.streaming else template.content))
    book.active.append(["RR-2025-001", "Rapid review", "Fathers unseen", "Think family training", "Test Police", "",
                        "31/03/2099", "Not started"])
    content = io.BytesIO()
    book.save(content)
    form = page_form(client, "/action-plan/import/")
    form.fill(file=upload("plan.xlsx", content.getvalue(),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    accepted(form.submit(), "/action-plan/import/")  # on to checking the rows
