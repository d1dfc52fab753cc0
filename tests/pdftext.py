"""Reads the text of a PDF the app produced, with pypdf (no external program), for tests to assert on."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """Every page's text, joined, with white space folded to single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
