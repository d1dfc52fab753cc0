import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actionplan.exports import IMPORT_COLUMNS
from actionplan.importer import import_save, parse_workbook
from actionplan.models import Action, ActionStatus, ActionUpdate
from rapidreview.clocks.models import Clock
from rapidreview.db import DomainError
from tests.actionplan.factories import LedgerCaseFactory as CaseFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows, header=IMPORT_COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def cases(db):
    return CaseFactory(reference="RR-2025-001"), CaseFactory(reference="RR-2025-002")


GOOD = [
    ["RR-2025-001", "Rapid review", "Fathers unseen", "Think family training", "Test Police", "",
     datetime.date(2026, 3, 31), "Not started"],
    ["rr-2025-002", "CSPR", "Bruising protocol", "Audit the protocol", "Test Health Trust", "",
     "15/01/2026", "Embedded"],
    ["RR-2025-002", "SIN", "Information sharing", "Share discharge summaries", "test police", "", "01/06/2027",
     "In progress"],
]


def test_a_good_file_imports_every_row_with_statuses_and_clocks(cases, police, health, working_group):
    result = parse_workbook(io.BytesIO(_xlsx(GOOD)))
    assert result.ok, [r.errors for r in result.rows]
    assert import_save(result=result, actor=working_group) == 3
    assert Action.objects.count() == 3
    embedded = Action.objects.get(description="Audit the protocol")
    assert embedded.status == ActionStatus.EMBEDDED and embedded.completion_confirmed_at
    assert Action.objects.get(description="Share discharge summaries").status == ActionStatus.IN_PROGRESS
    assert Clock.objects.filter(kind="action").count() == 3


def test_bad_rows_are_reported_row_by_row_and_nothing_is_saved(cases, police, working_group):
    rows = GOOD[:1] + [
        ["RR-9999-999", "Rapid review", "x", "y", "Test Police", "", "31/03/2026", ""],
        ["RR-2025-001", "Nonsense", "", "y", "No Such Agency", "nobody@example.test", "soon", "Finished"],
    ]
    result = parse_workbook(io.BytesIO(_xlsx(rows)))
    assert not result.ok and result.error_count == 2
    assert result.rows[0].ok
    assert result.rows[1].number == 3 and "No case has the reference “RR-9999-999”." in result.rows[1].errors
    errors = " ".join(result.rows[2].errors)
    for expected in ("Source must be", "Enter the learning", "No agency is called", "No active account",
                     "Enter the due date as a date", "Status must be"):
        assert expected in errors
    with pytest.raises(DomainError):
        import_save(result=result, actor=working_group)
    assert not Action.objects.exists()


def test_a_failure_while_saving_rolls_back_every_row(cases, police, working_group, monkeypatch):
    result = parse_workbook(io.BytesIO(_xlsx(GOOD[:1] * 3)))
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


def test_a_file_without_the_headings_or_not_a_spreadsheet_is_refused():
    assert "Missing" in parse_workbook(io.BytesIO(_xlsx([["a"]], header=["Something"]))).problems[0]
    assert "could not be read" in parse_workbook(io.BytesIO(b"not a zip")).problems[0]


def test_only_the_working_group_imports(cases, police, police_lead, working_group):
    result = parse_workbook(io.BytesIO(_xlsx(GOOD[:1])))
    with pytest.raises(DomainError, match="Working Group"):
        import_save(result=result, actor=police_lead)


def test_import_in_the_browser_previews_then_saves(client, cases, police, health, working_group):
    client.force_login(working_group)
    response = client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", _xlsx(GOOD))})
    assert response.status_code == 302
    preview = client.get(reverse("actionplan:import_preview")).content.decode()
    assert "Save 3 actions" in preview and not Action.objects.exists()
    assert client.post(reverse("actionplan:import_preview")).status_code == 302
    assert Action.objects.count() == 3


def test_import_preview_with_errors_offers_no_save_button(client, cases, working_group):
    client.force_login(working_group)
    bad = [["RR-2025-001", "Rapid review", "l", "a", "Nowhere", "", "31/03/2026", ""]]
    client.post(reverse("actionplan:import"), {"file": SimpleUploadedFile("plan.xlsx", _xlsx(bad))})
    preview = client.get(reverse("actionplan:import_preview")).content.decode()
    assert "Nothing has been saved" in preview and "No agency is called" in preview and "Save 1" not in preview
    client.post(reverse("actionplan:import_preview"))
    assert not Action.objects.exists()


def test_agency_leads_cannot_import(client, police_lead):
    client.force_login(police_lead)
    assert client.get(reverse("actionplan:import")).status_code == 403
    assert client.get(reverse("actionplan:import_template")).status_code == 403


def test_the_template_opens_with_the_documented_columns(client, working_group):
    client.force_login(working_group)
    wb = load_workbook(io.BytesIO(client.get(reverse("actionplan:import_template")).content))
    assert [c.value for c in wb.active[1]] == IMPORT_COLUMNS
