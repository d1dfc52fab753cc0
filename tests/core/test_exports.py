"""The one export helper writes a spreadsheet in time proportional to its rows (issue 20: a 1,400-row action plan
took seven seconds, because every row asked the sheet for its last row, which looks at every cell)."""

import datetime
import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from rapidreview.exports import Column, xlsx_bytes


def test_a_spreadsheet_of_many_rows_never_asks_the_sheet_for_its_size_row_by_row(monkeypatch):
    asked = []
    real = Worksheet.max_row

    def counting(self):
        asked.append(1)
        return real.fget(self)

    monkeypatch.setattr(Worksheet, "max_row", property(counting))
    columns = [Column("Reference", 20), Column("Note", 40, wrap=True)]
    rows = [(f"REF-{n}", f"note {n}") for n in range(500)]
    content = xlsx_bytes([("Sheet", columns, rows)])
    assert len(asked) <= 5, f"max_row read {len(asked)} times for 500 rows"
    monkeypatch.setattr(Worksheet, "max_row", real)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 501 and sheet["A501"].value == "REF-499"
    assert sheet["B2"].alignment.wrap_text and sheet["A1"].font.bold


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
    assert sheet.column_dimensions["C"].width == 40 and sheet["C2"].alignment.wrap_text
    assert sheet["B2"].value == datetime.datetime(2026, 3, 1) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C4"].value == "=not a formula" and sheet["C4"].data_type == "s" and sheet["C4"].quotePrefix
