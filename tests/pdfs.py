"""Reading the PDFs the application makes, with pypdf: their text and the properties every PDF of record has."""

import io

import pypdf

from rapidreview.pdf import Marking


def pdf_text(content: bytes) -> str:
    """The PDF's text, every run of white space made one space."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _fonts(reader: pypdf.PdfReader):
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                yield descendant.get_object()


def assert_pdf_of_record(content: bytes, *, title: str, marking: str) -> pypdf.PdfReader:
    """A tagged PDF/UA document with ``title`` in its metadata, fonts embedded, "Page n of N" on every page and
    ``marking`` at the top and bottom of every page (or no marking at all for a published document)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "the PDF is not tagged"
    assert "/StructTreeRoot" in root, "the PDF has no structure tree"
    assert reader.metadata.title == title
    fonts = list(_fonts(reader))
    assert fonts, "no fonts"
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font['/BaseFont']} is not embedded"
    assert {str(f["/BaseFont"]).split("+")[-1].split("-")[0] for f in fonts} == {"Liberation"}, "one font family"
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {pages}" in text
        for other in (Marking.OFFICIAL_SENSITIVE, Marking.PRIVATE):
            expected = 2 if other == marking else 0
            assert text.count(other) == expected, f"page {number}: {other!r} {text.count(other)} times"
    return reader
