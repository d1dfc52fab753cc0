"""Small real files for upload tests: the upload check parses them, so a few magic bytes are not enough."""

import io
import zipfile

from pypdf import PdfWriter

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')


def minimal_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def office_zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def minimal_docx() -> bytes:
    return office_zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document/>"})


def downloaded(response) -> bytes:
    """The body of a download, whether it was sent whole or streamed (a CSV export is written as it is read)."""
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
