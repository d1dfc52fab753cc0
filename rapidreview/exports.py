"""The one way tables leave the application as CSV or XLSX, with one formula guard.

A table is a list of ``Column`` and rows of values. Both formats:
- guard every text cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
  return); XLSX stores it as text, marked so that Excel shows no apostrophe; CSV, which has no types, prefixes an
  apostrophe (the OWASP advice);
- write dates one way (DD/MM/YYYY);
- CSV starts with a UTF-8 byte order mark so that Excel opens it as UTF-8;
- XLSX sizes every column, freezes and filters the heading row, repeats it on every printed page, and puts the
  protective marking in the page header and footer.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    width: int = 20
    wrap: bool = False


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """One CSV cell: dates as DD/MM/YYYY, formula-like text behind an apostrophe, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if is_formula_like(value):
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes to it (one line at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV file, line by line as UTF-8 bytes: the byte order mark with the heading row, then one line per row."""
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow([c.name for c in columns])).encode("utf-8")
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row]).encode("utf-8")


def csv_bytes(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    return b"".join(csv_lines(columns, rows))


def csv_download(columns: Sequence[Column], rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """A CSV attachment written while it is sent: ``rows`` (an iterator over the database, say) is read one row at
    a time, so a long export neither waits for its last row nor holds them all in memory (issue 20)."""
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def add_sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
              marking: str = OFFICIAL_SENSITIVE):
    """A formatted sheet of ``rows`` under ``columns`` in ``wb``, a write-only workbook: each row is written as it
    comes, so the sheet's layout is set before the first row and only the filter's range after the last."""
    ws = wb.create_sheet(title[:31])
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if marking:
        ws.oddHeader.center.text = marking
        ws.oddFooter.center.text = marking
    ws.oddFooter.right.text = "Page &P of &N"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    ws.append([_cell(ws, column.name, font=bold, alignment=wrapped) for column in columns])
    last_row = 1
    for row in rows:
        ws.append([_cell(ws, value, alignment=wrapped if column.wrap else None)
                   for column, value in zip(columns, row, strict=False)])
        last_row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    return ws


def _cell(ws, value, *, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
    """One cell: a date as DD/MM/YYYY, formula-like text stored as text (marked so that Excel shows no apostrophe)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    cell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Column], Iterable[Sequence]]], *,
               marking: str = OFFICIAL_SENSITIVE) -> bytes:
    """A workbook with one formatted sheet per (title, columns, rows). Written in openpyxl's write-only mode, which
    writes each cell as it comes instead of building the whole sheet in memory first (issue 20: 1,900 actions took
    most of a second more)."""
    wb = Workbook(write_only=True)
    for title, columns, rows in sheets:
        add_sheet(wb, title, columns, rows, marking=marking)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment response for a .csv or .xlsx file made here."""
    content_type = "text/csv; charset=utf-8" if filename.endswith(".csv") else XLSX
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
