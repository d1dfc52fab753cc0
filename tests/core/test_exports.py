"""The one export helper writes a spreadsheet that opens as it was written: text as text, dates as dates, laid out for
filtering and printing (ADR 0029; its speed is measured by benchmarks/run.py, not here)."""

import datetime
import io

import openpyxl
import pytest

from rapidreview.exports import Column, xlsx_bytes


def test_a_spreadsheet_of_many_rows_reads_back_row_for_row():
    columns = [Column("Reference", 20), Column("Note", 40, wrap=True), Column("Count", 8)]
    rows = [(f"REF-{n}", f"note {n}", n) for n in range(5000)]
    content = xlsx_bytes([("Sheet", columns, rows)])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 5001 and sheet["A5001"].value == "REF-4999" and sheet["C5001"].value == 4999
    assert sheet["B2"].alignment.wrap_text and sheet["A1"].font.bold and not sheet["A2"].alignment.wrap_text


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)"])
def test_formula_like_text_is_still_written_as_text(value):
    content = xlsx_bytes([("Sheet", [Column("Text", 20)], [(value,)])])
    cell = openpyxl.load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.value == value and cell.data_type == "s"


def test_a_spreadsheet_keeps_its_layout_for_printing_and_filtering():
    columns = [Column("Reference", 20), Column("Due", 12), Column("Note", 40, wrap=True)]
    rows = [(f"REF-{n}", datetime.datetime(2026, 3, 1 + n, 9, 30), "=not a formula") for n in range(3)]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([("Action plan", columns, rows)]))).active
    assert sheet.title == "Action plan" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C4"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE" == sheet.oddFooter.center.text
    assert int(sheet.column_dimensions["C"].width) == 40 and sheet["C2"].alignment.wrap_text
    assert sheet["B2"].value == datetime.datetime(2026, 3, 1) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C4"].value == "=not a formula" and sheet["C4"].data_type == "s" and sheet["C4"].quotePrefix
