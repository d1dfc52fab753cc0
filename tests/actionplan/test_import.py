"""Importing the action plan a partnership really keeps: its own layout, its own column names, twice over."""

import datetime
import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actionplan.exports import IMPORT_COLUMNS
from actionplan.importer import ImportFileError, check_rows, import_save, read_workbook, suggest_mapping
from actionplan.models import Action, ActionStatus, ActionUpdate, ImportColumnMapping
from rapidreview.accounts.models import Role
from rapidreview.clocks.models import Clock
from rapidreview.db import DomainError
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory
from tests.factories import default_partnership, make_user

pytestmark = pytest.mark.django_db
HEADINGS = [c.name for c in IMPORT_COLUMNS]


def _xlsx(rows, header=HEADINGS, above=(), merge=()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in above:
        ws.append(row)
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _parse(content: bytes, actor, partnership=None):
    partnership = partnership or default_partnership()
    workbook = read_workbook(io.BytesIO(content))
    return check_rows(workbook, suggest_mapping(workbook.sheet.headings, partnership=partnership), actor=actor,
                      partnership=partnership)


@pytest.fixture
def cases(db):
    return CaseFactory(reference="RR-2025-0001"), CaseFactory(reference="RR-2025-0002")


@pytest.fixture
def business_unit_member(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")


GOOD = [
    ["RR-2025-0001", "Rapid review", "Fathers unseen", "Think family training", "Test Police", "",
     datetime.date(2026, 3, 31), "Not started"],
    ["rr-2025-0002", "CSPR", "Bruising protocol", "Audit the protocol", "Test Health Trust", "",
     "15/01/2026", "Embedded"],
    ["RR-2025-0002", "SIN", "Information sharing", "Share discharge summaries", "test police", "", "01/06/2027",
     "In progress", "Two of three teams trained."],
]


def test_a_good_file_imports_every_row_with_statuses_notes_and_clocks(cases, police, health, working_group):
    result = _parse(_xlsx(GOOD), working_group)
    assert result.ok, [r.errors for r in result.rows]
    assert import_save(result=result, actor=working_group) == (3, 0)
    embedded = Action.objects.get(description="Audit the protocol")
    assert embedded.status == ActionStatus.EMBEDDED and embedded.completion_confirmed_at
    shared = Action.objects.get(description="Share discharge summaries")
    assert shared.status == ActionStatus.IN_PROGRESS
    assert shared.updates.filter(note="Two of three teams trained.").exists()
    assert Clock.objects.filter(kind="action").count() == 3


def test_importing_the_same_file_twice_creates_nothing_new(cases, police, health, working_group):
    import_save(result=_parse(_xlsx(GOOD), working_group), actor=working_group)
    before = (Action.objects.count(), ActionUpdate.objects.count(), Clock.objects.count())
    again = _parse(_xlsx(GOOD), working_group)
    assert again.ok and again.new_count == 0 and again.changed_count == 0
    assert {r.outcome for r in again.rows} == {"Already on the plan: no change"}
    assert import_save(result=again, actor=working_group) == (0, 0)
    assert (Action.objects.count(), ActionUpdate.objects.count(), Clock.objects.count()) == before


def test_bad_rows_are_reported_row_by_row_in_the_users_terms_and_nothing_is_saved(cases, police, working_group):
    rows = GOOD[:1] + [
        ["RR-9999-999", "Rapid review", "x", "y", "Test Police", "", "31/03/2026", ""],
        ["RR-2025-0001", "Nonsense", "", "y", "Test Polise", "nobody@example.test", "30/02/2027", "Finished"],
    ]
    result = _parse(_xlsx(rows), working_group)
    assert not result.ok and result.error_count == 2 and result.rows[0].ok
    assert result.rows[1].number == 3 and "No case has the reference “RR-9999-999”." in result.rows[1].errors
    errors = " ".join(result.rows[2].errors)
    for expected in ("Source must be", "Enter the learning", "No agency in the partnership's arrangements is called "
                     "“Test Polise”. Did you mean “Test Police”?", "30/02/2027 is not a real date.", "Status must be"):
        assert expected in errors
    assert "No one in the partnership has the e-mail address" in " ".join(result.rows[2].warnings)
    with pytest.raises(DomainError):
        import_save(result=result, actor=working_group)
    assert not Action.objects.exists()


def test_a_failure_while_saving_rolls_back_every_row(cases, police, working_group, monkeypatch):
    rows = [[*GOOD[0][:3], f"Action {n}", *GOOD[0][4:]] for n in range(3)]
    result = _parse(_xlsx(rows), working_group)
    assert result.ok
    from actionplan import importer

    calls = {"n": 0}
    real = importer.action_create

    def fail_on_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise DomainError("Simulated failure")
        return real(**kwargs)

    monkeypatch.setattr(importer, "action_create", fail_on_third)
    with pytest.raises(DomainError, match="Row 4: Simulated failure"):
        import_save(result=result, actor=working_group)
    assert not Action.objects.exists() and not ActionUpdate.objects.exists() and not Clock.objects.exists()


def test_a_review_held_before_rapid_review_is_kept_as_a_reference(police, working_group):
    rows = [["CSPR Child F (2023)", "CSPR", "Neglect", "Refresh the neglect toolkit", "Test Police", "",
             "31/03/2027", "In progress"]]
    result = _parse(_xlsx(rows), working_group)
    assert result.ok and "held before Rapid Review" in result.rows[0].warnings[0]
    import_save(result=result, actor=working_group)
    action = Action.objects.get()
    assert action.case is None and action.review_reference == "CSPR Child F (2023)"


def test_a_file_without_headings_or_not_a_spreadsheet_is_refused_clearly():
    with pytest.raises(ImportFileError, match="column headings"):
        read_workbook(io.BytesIO(_xlsx([["a"]], header=["Something"])))
    with pytest.raises(ImportFileError, match="could not be read"):
        read_workbook(io.BytesIO(b"not a zip"))


def _with_entity_bomb(content: bytes) -> bytes:
    """The same workbook with a "billion laughs" DTD in its sheet."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"^<\?xml[^>]*\?>", b"", data).replace(b"RR-2025-0001", b"&lol3;")
                data = bomb.encode() + data
            target.writestr(item, data)
    return out.getvalue()


def test_a_hostile_or_truncated_file_gets_a_clear_answer_and_the_next_upload_works(client, working_group, cases,
                                                                                  police):
    client.force_login(working_group)
    good = _xlsx(GOOD[:1])
    for hostile in (_with_entity_bomb(good), good[: len(good) // 2]):
        response = client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", hostile)})
        response = client.get(response["Location"], follow=True)
        assert response.status_code == 200
        assert re.search(r"not allowed in a spreadsheet|could not be read|damaged", response.content.decode())
        assert client.get(reverse("actionplan:import_preview")).status_code == 302
    response = client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", good)})
    assert client.get(response["Location"]).status_code == 200
    assert not Action.objects.exists()


def test_a_sheet_declaring_80000_rows_is_read_by_the_rows_that_hold_data(cases, police, working_group):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADINGS)
    ws.append(GOOD[0])
    ws.cell(row=80_000, column=1).value = None
    ws.cell(row=80_000, column=12).number_format = "0"  # a formatted, empty cell far below
    out = io.BytesIO()
    wb.save(out)
    started = time.monotonic()
    result = _parse(out.getvalue(), working_group)
    assert time.monotonic() - started < 3
    assert len(result.rows) == 1 and result.ok


def _columns_page_form(page: str) -> dict:
    """The column questions as the page rendered them, each with its selected answer."""
    answers = {}
    for name, body in re.findall(r'<select[^>]*name="(column_\d+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        answers[name] = selected.group(1) if selected else re.search(r'<option value="([^"]*)"', body).group(1)
    return answers


PARTNERSHIP_LAYOUT = dict(
    above=[["Tower Hamlets Safeguarding Children Partnership"], ["Statutory review action plan – November 2026"], []],
    header=["Review", "Recommendation", "Actions agreed", "Lead agency", "Officer", "Target date", "RAG", "Update",
            "Partner ref"],
    rows=[
        ["Theme 1: fathers unseen"],
        ["RR-2025-0001", None, "Think family training for all staff", "Test Police", "Ann Officer", "31/03/2027",
         "Amber", "Sessions booked.", "P-17"],
        [None, None, "Audit of records naming fathers", "Test Health Trust", "Bo Officer", "30/06/2027", "Red", "",
         "H-4"],
    ],
    merge=["A5:I5", "A6:A7"],
)


def test_a_partnerships_own_spreadsheet_imports_after_mapping_its_columns_and_twice_creates_nothing(
        client, cases, police, health, business_unit_member):
    content = _xlsx(PARTNERSHIP_LAYOUT["rows"], header=PARTNERSHIP_LAYOUT["header"],
                    above=PARTNERSHIP_LAYOUT["above"], merge=PARTNERSHIP_LAYOUT["merge"])
    client.force_login(business_unit_member)
    for attempt in (1, 2):
        response = client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", content)})
        assert response["Location"] == reverse("actionplan:import_columns")
        page = client.get(reverse("actionplan:import_columns")).content.decode()
        assert "headings on row 4" in page
        answers = _columns_page_form(page)
        assert answers["column_0"] == "case" and answers["column_2"] == "description"
        assert answers["column_6"] == "rag" and answers["column_7"] == "update"
        if attempt == 1:
            assert answers["column_3"] == "agency" and answers["column_8"] == "ignore"
            answers["column_1"] = "learning"
        else:
            assert answers["column_1"] == "learning", "the mapping made the first time is remembered"
        response = client.post(reverse("actionplan:import_columns"), answers)
        assert response.status_code == 302, response.content.decode()[:3000]
        preview = client.get(reverse("actionplan:import_preview")).content.decode()
        assert "Columns not imported: “Officer”, “Partner ref”" in preview.replace("&ldquo;", "“")
        if attempt == 1:
            assert "Save: 2 new, 0 changed" in preview
        else:
            assert "Save: 0 new, 0 changed" in preview
        assert client.post(reverse("actionplan:import_preview")).status_code == 302
        assert Action.objects.count() == 2
    training = Action.objects.get(description="Think family training for all staff")
    assert training.case == cases[0] and training.learning == "Theme 1: fathers unseen"
    assert training.status == ActionStatus.NOT_STARTED  # only the working group records statuses
    notes = " ".join(training.updates.values_list("note", flat=True))
    assert "Sessions booked." in notes and "RAG rating in the imported spreadsheet: Amber" in notes
    assert ImportColumnMapping.objects.get(heading="recommendation").field == "learning"


def test_an_export_can_be_edited_and_imported_back(client, cases, police, health, working_group):
    import_save(result=_parse(_xlsx(GOOD), working_group), actor=working_group)
    client.force_login(working_group)
    exported = load_workbook(io.BytesIO(client.get(reverse("actionplan:export_xlsx")).content))
    ws = exported.active
    headings = [c.value for c in ws[1]]
    due = headings.index("Due date") + 1
    row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == "Think family training")
    row[due - 1].value = datetime.date(2027, 1, 31)
    out = io.BytesIO()
    exported.save(out)
    result = _parse(out.getvalue(), working_group)
    assert result.ok, [r.errors for r in result.rows]
    assert result.new_count == 0 and result.changed_count == 1
    assert import_save(result=result, actor=working_group) == (0, 1)
    assert Action.objects.get(description="Think family training").due_on == datetime.date(2027, 1, 31)
    assert Action.objects.count() == 3


def test_agency_leads_cannot_import_and_nothing_changes(client, police_lead, cases, police):
    client.force_login(police_lead)
    assert client.get(reverse("actionplan:import")).status_code == 403
    assert client.get(reverse("actionplan:import_template")).status_code == 403
    response = client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", _xlsx(GOOD))})
    assert response.status_code == 403
    assert client.post(reverse("actionplan:import_preview")).status_code == 403
    assert not Action.objects.exists()
    with pytest.raises(DomainError, match="business unit"):
        import_save(result=_parse(_xlsx(GOOD[:1]), police_lead), actor=police_lead)


def test_the_template_opens_with_the_documented_columns(client, working_group):
    client.force_login(working_group)
    wb = load_workbook(io.BytesIO(client.get(reverse("actionplan:import_template")).content))
    assert [c.value for c in wb.active[1]] == HEADINGS


def test_an_action_of_a_review_before_rapid_review_opens_and_can_be_changed(client, police, working_group):
    rows = [["CSPR Child F (2023)", "CSPR", "Neglect", "Refresh the toolkit", "Test Police", "", "31/03/2027", ""]]
    import_save(result=_parse(_xlsx(rows), working_group), actor=working_group)
    action = Action.objects.get()
    client.force_login(working_group)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "CSPR Child F (2023)" in page
    edit = client.get(reverse("actionplan:edit", args=[action.pk])).content.decode()
    assert 'name="case"' not in edit and 'name="description"' in edit
