"""What a response says, whatever its form (a page, a CSV or spreadsheet export, a PDF), to look for what it must not
say: another partnership's children, references, texts and object ids (issue 18 §2)."""

import io
import re
import zipfile

from openpyxl import load_workbook

from tests.pdfs import pdf_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> bytes:
    """The whole body, a streamed export's too (reading it runs the export's queries)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        # Read once; keep it for whoever reads the body next.
        response.streaming_content = [content]
        return content
    return response.content


def response_text(response) -> str:
    """The text a person would read in the response: HTML and CSV as they are, every cell of a spreadsheet, the text
    of a PDF."""
    content = body(response)
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == "application/pdf" or content.startswith(b"%PDF"):
        return pdf_text(content)
    if kind == XLSX or (content.startswith(b"PK") and _is_xlsx(content)):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    return content.decode(errors="replace")


def _is_xlsx(content: bytes) -> bool:
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    except zipfile.BadZipFile:
        return False


def found(text: str, markers) -> list[str]:
    """The markers ``text`` holds, each starting a word: "SCP-2026-0001" is not found in "WSCP-2026-0001"."""
    return [marker for marker in markers
            if marker in text and re.search(rf"(?<![A-Za-z0-9]){re.escape(marker)}", text)]
