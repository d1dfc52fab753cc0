import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actionplan.models import Action, ActionEvidence, ActionStatus, ActionUpdate
from actionplan.services import action_add_evidence, action_note_add, action_set_status
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessLog
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.actionplan.factories import make_action
from tests.factories import default_partnership, make_user
from tests.files import downloaded, minimal_pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = minimal_pdf()


def test_list_shows_the_working_group_every_action_and_an_agency_lead_only_theirs(
        client, working_group, police, health, police_lead):
    make_action(agency=police, actor=working_group, description="Police audit of strategy meetings")
    make_action(agency=health, actor=working_group, description="Health review of bruising protocol")
    client.force_login(working_group)
    body = client.get(reverse("actionplan:list")).content.decode()
    assert "Police audit" in body and "Health review" in body
    client.force_login(police_lead)
    body = client.get(reverse("actionplan:list")).content.decode()
    assert "Police audit" in body and "Health review" not in body


def test_people_without_an_action_plan_role_are_refused_the_list(client):
    client.force_login(make_user(Role.PANEL_MEMBER))
    assert client.get(reverse("actionplan:list")).status_code == 403


def test_list_refuses_post(client, working_group):
    client.force_login(working_group)
    assert client.post(reverse("actionplan:list")).status_code == 405


def test_filters_by_agency_status_source_case_and_overdue(client, working_group, police, health):
    case = CaseFactory(reference="LG-FILTER")
    a = make_action(agency=police, actor=working_group, case=case, description="Alpha action")
    b = make_action(agency=health, actor=working_group, description="Bravo action", source="cspr",
                    due_on=timezone.localdate() - datetime.timedelta(days=3))
    action_set_status(action=a, status=ActionStatus.IN_PROGRESS, actor=working_group, note="Begun")
    client.force_login(working_group)
    url = reverse("actionplan:list")

    def shown(**params):
        body = client.get(url, params).content.decode()
        return {name for name in ("Alpha action", "Bravo action") if name in body}

    assert shown(agency=police.pk) == {"Alpha action"}
    assert shown(status="in_progress") == {"Alpha action"}
    assert shown(source="cspr") == {"Bravo action"}
    assert shown(case="lg-filter") == {"Alpha action"}
    assert shown(overdue="yes") == {"Bravo action"}
    assert b.is_overdue


def test_list_uses_the_same_number_of_queries_at_2_rows_and_at_30(client, working_group, police,
                                                                   django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        make_action(agency=police, actor=working_group)
    client.force_login(working_group)
    client.get(reverse("actionplan:list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as at_two:
        client.get(reverse("actionplan:list"))
    for _ in range(28):
        make_action(agency=police, actor=working_group)
    with django_assert_num_queries(len(at_two.captured_queries)):
        response = client.get(reverse("actionplan:list"))
    assert response.content.decode().count('class="govuk-table__row"') == 26  # header + a page of 25


def test_agency_lead_cannot_open_another_agencys_action(client, working_group, police, health_lead):
    action = make_action(agency=police, actor=working_group)
    client.force_login(health_lead)
    assert client.get(reverse("actionplan:detail", args=[action.pk])).status_code == 404
    response = client.post(reverse("actionplan:progress", args=[action.pk]), {"status": "in_progress", "note": "x"})
    assert response.status_code == 404


def test_agency_lead_records_progress_on_their_own_agencys_action(client, working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    client.force_login(police_lead)
    response = client.post(reverse("actionplan:progress", args=[action.pk]),
                           {"status": "completed", "note": "Training delivered to 40 officers"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.awaiting_confirmation
    body = client.get(reverse("actionplan:detail", args=[action.pk])).content.decode()
    assert "Awaiting confirmation" in body and "Training delivered" in body
    assert AccessLog.objects.filter(object_id=str(action.pk)).exists()


def test_agency_lead_cannot_confirm_completion_in_the_browser(client, working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    action_set_status(action=action, status=ActionStatus.COMPLETED, actor=police_lead)
    client.force_login(police_lead)
    assert client.post(reverse("actionplan:confirm", args=[action.pk])).status_code == 403
    client.force_login(working_group)
    assert client.get(reverse("actionplan:confirm", args=[action.pk])).status_code == 405
    client.post(reverse("actionplan:confirm", args=[action.pk]))
    action.refresh_from_db()
    assert action.completion_confirmed_by == working_group


def test_agency_lead_cannot_add_or_change_actions(client, working_group, police, police_lead):
    action = make_action(agency=police, actor=working_group)
    client.force_login(police_lead)
    assert client.get(reverse("actionplan:create")).status_code == 403
    assert client.get(reverse("actionplan:edit", args=[action.pk])).status_code == 403


def test_working_group_adds_an_action_and_bad_input_keeps_what_was_typed(client, working_group, police):
    CaseFactory(reference="LG-NEW")
    client.force_login(working_group)
    data = {"case": "LG-NEW", "source": "rapid_review", "learning": "Fathers not seen", "description": "",
            "agency": police.pk, "due_on_0": "31", "due_on_1": "3", "due_on_2": "2027"}
    response = client.post(reverse("actionplan:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the action." in body and "Fathers not seen" in body
    data["description"] = "Think family training"
    response = client.post(reverse("actionplan:create"), data)
    assert response.status_code == 302


def test_unknown_case_reference_is_an_error_not_a_500(client, working_group, police):
    client.force_login(working_group)
    response = client.post(reverse("actionplan:create"), {
        "case": "NOPE", "source": "sin", "learning": "l", "description": "d", "agency": police.pk,
        "due_on_0": "1", "due_on_1": "1", "due_on_2": "2027"})
    assert response.status_code == 200 and "There is no case with that reference" in response.content.decode()


def test_csv_export_parses_and_holds_only_the_visible_filtered_rows(client, working_group, police, health,
                                                                    police_lead):
    make_action(agency=police, actor=working_group, description="=HYPERLINK(evil)")
    make_action(agency=health, actor=working_group, description="Health thing")
    client.force_login(police_lead)
    response = client.get(reverse("actionplan:export_csv"))
    body = downloaded(response)
    assert body.startswith("\ufeff".encode()), "Excel needs the byte order mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Case reference", "Source", "Learning", "Action"]
    assert len(rows) == 2 and rows[1][3] == "'=HYPERLINK(evil)" and rows[1][4] == "Test Police"


def test_xlsx_export_is_formatted_for_excel_with_guarded_text_cells(client, working_group, police):
    action = make_action(agency=police, actor=working_group, description="=HYPERLINK(evil)")
    Action.objects.filter(pk=action.pk).update(learning="\tTabbed")
    client.force_login(working_group)
    ws = load_workbook(io.BytesIO(client.get(reverse("actionplan:export_xlsx")).content)).active
    action_cell, learning_cell, due_cell = ws["D2"], ws["C2"], ws["G2"]
    assert action_cell.value == "=HYPERLINK(evil)" and action_cell.data_type == "s" and action_cell.quotePrefix
    assert learning_cell.data_type == "s" and learning_cell.quotePrefix
    assert due_cell.number_format == "DD/MM/YYYY"
    assert all(ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMNO")
    assert ws.auto_filter.ref.startswith("A1:") and ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE" == ws.oddFooter.center.text


def test_csv_export_guards_tab_and_carriage_return(client, working_group, police):
    action = make_action(agency=police, actor=working_group)
    Action.objects.filter(pk=action.pk).update(description="\rcmd", learning="\t=1+1")
    client.force_login(working_group)
    rows = list(csv.reader(io.StringIO(downloaded(client.get(reverse("actionplan:export_csv"))).decode("utf-8-sig"))))
    assert rows[1][2] == "'\t=1+1" and rows[1][3] == "'\rcmd"


def test_xlsx_export_opens_and_respects_filters(client, working_group, police, health):
    make_action(agency=police, actor=working_group, description="Police thing")
    make_action(agency=health, actor=working_group, description="Health thing")
    client.force_login(working_group)
    response = client.get(reverse("actionplan:export_xlsx"), {"agency": health.pk})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "Health thing"
    assert AccessLog.objects.filter(action="export").count() == 1


def _upload(client, action, name, content, text=""):
    return client.post(reverse("actionplan:evidence_add", args=[action.pk]),
                       {"text": text, "file": SimpleUploadedFile(name, content)})


def test_evidence_accepts_allowed_files_and_serves_them_only_to_people_who_can_see_the_action(
        client, working_group, police, police_lead, health_lead, settings):
    action = make_action(agency=police, actor=working_group)
    client.force_login(police_lead)
    assert _upload(client, action, "audit.pdf", PDF).status_code == 302
    evidence = ActionEvidence.objects.get(action=action)
    assert evidence.original_name == "audit.pdf" and str(settings.MEDIA_ROOT) in evidence.file.path
    assert "audit" not in evidence.file.name  # stored under a random name
    url = reverse("actionplan:evidence_download", args=[action.pk, evidence.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="audit.pdf"' in response["Content-Disposition"]
    client.force_login(health_lead)
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.PANEL_MEMBER))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.exe", b"MZ....", "must be a PDF"),
    ("fake.pdf", PNG, "is not a real PDF"),
    ("photo.png", b"", "empty"),
])
def test_evidence_refuses_wrong_types(client, working_group, police, police_lead, name, content, message):
    action = make_action(agency=police, actor=working_group)
    client.force_login(police_lead)
    response = _upload(client, action, name, content, text="Kept text")
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Kept text" in body
    assert not ActionEvidence.objects.exists()


def test_evidence_refuses_files_over_ten_megabytes(working_group, police, police_lead):
    from rapidreview.db import DomainError

    action = make_action(agency=police, actor=working_group)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="smaller than 10"):
        action_add_evidence(action=action, actor=police_lead, upload=big)


def test_meeting_view_shows_what_changed_since_the_last_meeting(client, working_group, police, police_lead):
    from actionplan.models import ActionUpdate, WorkingGroupMeeting

    old = make_action(agency=police, actor=working_group, description="Older action")
    WorkingGroupMeeting.objects.create(partnership=default_partnership(),
                                       held_on=timezone.localdate() - datetime.timedelta(days=10))
    ActionUpdate.objects.filter(action=old).update(at=timezone.now() - datetime.timedelta(days=20))
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    make_action(agency=police, actor=working_group, description="Brand new action")
    action_set_status(action=old, status=ActionStatus.IN_PROGRESS, actor=police_lead, note="Started the audit")
    client.force_login(working_group)
    body = client.get(reverse("actionplan:meetings")).content.decode()
    assert "Brand new action" in body and "Not started → In progress" in body
    client.force_login(police_lead)
    assert client.get(reverse("actionplan:meetings")).status_code == 403


def test_the_meeting_view_shows_the_latest_fifty_of_each_kind_of_change_and_how_many_there_were(
        client, working_group, police, police_lead):
    from actionplan.selectors import CHANGES_SHOWN

    action = make_action(agency=police, actor=working_group, description="Older action")
    type(action).objects.filter(pk=action.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    now = timezone.now()
    ActionUpdate.objects.bulk_create([
        ActionUpdate(action=action, partnership_id=action.partnership_id,
                     at=now - datetime.timedelta(hours=n), author=police_lead, note=f"Update {n:03d}")
        for n in range(CHANGES_SHOWN + 10)])
    client.force_login(working_group)
    body = client.get(reverse("actionplan:meetings")).content.decode()
    assert f"Progress updates ({CHANGES_SHOWN + 10})" in body and f"The latest {CHANGES_SHOWN} are shown" in body
    shown = [n for n in range(CHANGES_SHOWN + 10) if f"Update {n:03d}" in body]
    assert shown == list(range(CHANGES_SHOWN))  # the most recent ones
    assert body.index("Update 001") > body.index("Update 049")  # in date order, oldest first


def test_working_group_records_a_meeting(client, working_group):
    client.force_login(working_group)
    today = timezone.localdate()
    response = client.post(reverse("actionplan:meeting_create"), {
        "held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year, "notes": "Quorate"})
    assert response.status_code == 302
    response = client.post(reverse("actionplan:meeting_create"), {
        "held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year})
    assert "already recorded" in response.content.decode()


def test_working_group_card_counts_overdue_actions(client, working_group, police):
    make_action(agency=police, actor=working_group, due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(working_group)
    body = client.get(reverse("home")).content.decode()
    assert "Overdue actions" in body


def test_the_action_page_links_to_the_case_only_for_readers_who_may_open_it(client, working_group, police):
    action = make_action(agency=police, actor=working_group)
    case_url = action.case.get_absolute_url()
    client.force_login(working_group)
    page = client.get(action.get_absolute_url()).content.decode()
    assert action.case.reference in page and f'href="{case_url}"' not in page
    assert client.get(case_url).status_code in (403, 404)  # the link would have been a dead end
    client.force_login(make_user(Role.BUSINESS_UNIT))
    page = client.get(action.get_absolute_url()).content.decode()
    assert f'href="{case_url}"' in page


def test_csv_export_streams_each_actions_latest_progress_update_without_reading_every_update(
        client, working_group, police):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        action = make_action(agency=police, actor=working_group, description="Updated twice")
        action_note_add(action=action, actor=working_group, note="First look")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC), tick=False):
        action_note_add(action=action, actor=working_group, note="=Latest word")
        make_action(agency=police, actor=working_group, description="Just added")
    client.force_login(working_group)
    response = client.get(reverse("actionplan:export_csv"))
    assert response.streaming, "a long plan is written as it is read, not held whole in memory"
    with CaptureQueriesContext(connection) as queries:
        rows = list(csv.reader(io.StringIO(downloaded(response).decode("utf-8-sig"))))
    by_action = {row[3]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_action["Updated twice"]["Progress update"] == "'=Latest word"
    assert by_action["Updated twice"]["Progress update on"] == "20/11/2026"
    assert by_action["Just added"]["Progress update"] == "Action added to the plan."
    # One query for the rows, each with its latest update; no list of every update of every action.
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert '"actionplan_action"."updated_at"' not in queries[0]["sql"], "only the exported columns are read"


def test_the_action_page_shows_its_progress_newest_first_twenty_to_a_page(client, working_group, police,
                                                                          police_lead):
    action = make_action(agency=police, actor=working_group)
    later = timezone.now() + datetime.timedelta(days=1)  # all newer than the update that created the action
    ActionUpdate.objects.bulk_create([
        ActionUpdate(action=action, partnership_id=action.partnership_id,
                     at=later - datetime.timedelta(hours=n), author=police_lead, note=f"Note {n:03d}")
        for n in range(25)])
    client.force_login(police_lead)
    first = client.get(reverse("actionplan:detail", args=[action.pk])).content.decode()
    shown = [n for n in range(25) if f"Note {n:03d}" in first]
    assert shown == list(range(20))  # the twenty newest
    assert first.index("Note 000") < first.index("Note 019")  # newest first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(reverse("actionplan:detail", args=[action.pk]) + "?page=2").content.decode()
    assert [n for n in range(25) if f"Note {n:03d}" in second] == list(range(20, 25))
    assert 'rel="prev"' in second
