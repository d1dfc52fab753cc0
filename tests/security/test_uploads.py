"""The shared upload check: allowed types by extension and by content, and a size limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rapidreview.uploads import validate_upload
from tests.files import minimal_docx, minimal_pdf, office_zip


def _file(name, content):
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_within_the_limit_is_accepted():
    upload = _file("plan.pdf", minimal_pdf())
    assert validate_upload(upload, ["pdf"], max_bytes=4096) is upload
    assert upload.read(5) == b"%PDF-"  # rewound for whoever stores it


def test_a_file_with_a_type_not_allowed_is_refused():
    with pytest.raises(ValidationError, match="must be a PDF"):
        validate_upload(_file("run-me.exe", b"MZ\x90\x00"), ["pdf"])


def test_an_executable_renamed_to_pdf_is_refused_by_its_content():
    with pytest.raises(ValidationError, match="not a real PDF"):
        validate_upload(_file("plan.pdf", b"MZ\x90\x00 this is a program"), ["pdf"])


def test_html_renamed_to_png_is_refused():
    with pytest.raises(ValidationError, match="not a real PNG"):
        validate_upload(_file("photo.png", b"<script>alert(1)</script>"), ["png", "pdf"])


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError, match="smaller than"):
        validate_upload(_file("plan.pdf", b"%PDF-" + b"x" * 2048), ["pdf"], max_bytes=1024)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(_file("plan.pdf", b""), ["pdf"])


def test_a_csv_must_be_text():
    validate_upload(_file("actions.csv", "ref,action\n1,Train staff – ütf8\n".encode()), ["csv"])
    with pytest.raises(ValidationError, match="not a real CSV"):
        validate_upload(_file("actions.csv", b"\x00\x01\x02binary"), ["csv"])


def test_a_word_document_needs_the_office_zip_signature():
    validate_upload(_file("report.DOCX", minimal_docx()), ["docx"])
    with pytest.raises(ValidationError):
        validate_upload(_file("report.docx", b"%PDF-1.4"), ["docx"])


# Issue 21, finding 15: the structure is checked, not only the first bytes.

@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>",
    b"%PDF-1.4\n%minimal\n",
    b"%PDF-" + b"\x00" * 500,
])
def test_pdf_magic_bytes_followed_by_something_else_are_refused(content):
    with pytest.raises(ValidationError, match="not a real PDF"):
        validate_upload(_file("plan.pdf", content), ["pdf"])


def test_a_truncated_pdf_is_refused():
    with pytest.raises(ValidationError, match="not a real PDF"):
        validate_upload(_file("plan.pdf", minimal_pdf()[:200]), ["pdf"])


@pytest.mark.parametrize("content", [
    b"PK\x03\x04rest of a broken zip",
    office_zip({"hello.txt": "not a document"}),
    office_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),  # a spreadsheet
])
def test_a_word_document_must_be_a_zip_with_the_word_parts(content):
    with pytest.raises(ValidationError, match="not a real Word document"):
        validate_upload(_file("report.docx", content), ["docx"])


def test_an_opendocument_text_needs_its_mimetype():
    good = office_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    validate_upload(_file("notes.odt", good), ["odt"])
    bad = office_zip({"mimetype": "application/zip", "content.xml": "<x/>"})
    with pytest.raises(ValidationError, match="not a real OpenDocument text"):
        validate_upload(_file("notes.odt", bad), ["odt"])


def test_a_type_without_a_content_check_cannot_be_allowed_by_mistake():
    with pytest.raises(ValueError):
        validate_upload(_file("x.svg", b"<svg/>"), ["svg"])
