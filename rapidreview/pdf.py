"""The one way this application makes a PDF (ADR 0009).

Every document - the letter to a referrer, the panel pack, the decision sheet, a learning bulletin and the annual
statistics - is a template that extends ``pdf/base_pdf.html`` and is rendered by ``render_pdf``. That gives each the
same things: a tagged PDF (PDF/UA-1) with its title in the metadata, the same embedded font in the text and in the
page margins, "Page n of N", and the protective marking its audience calls for at the top and bottom of every page.
"""

import re
import time
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

# Liberation Sans has Arial's metrics and ships with Debian (fonts-liberation, in the Dockerfile and .ci/run);
# WeasyPrint embeds the subset it uses. Margin boxes do not inherit the body's font, so @page names it too.
FONT_STACK = '"Liberation Sans", Arial, Helvetica, sans-serif'


class Marking:
    """What is printed at the top and bottom of every page (Government Security Classifications)."""

    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"  # internal: packs, decision sheets, statistics before publication
    PRIVATE = "Private and confidential: for the addressee only"  # a letter to one named person
    NONE = ""  # published: bulletins


@dataclass(frozen=True)
class PdfPage:
    """What ``pdf/base_pdf.html`` needs to lay out the page: the title, marking, status and running footer."""

    title: str
    marking: str
    status: str = ""
    footer: str = ""

    @property
    def page_css(self) -> str:
        return mark_safe(_page_css(self))  # noqa: S308 - every value passes through css_string()  # nosec B308 B703


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):X} ", text)
    return f'"{escaped}"'


def _page_css(page: PdfPage) -> str:
    box = f"font-family: {FONT_STACK}; font-size: 8.5pt; color: #0b0c0c;"
    boxes = [f'@bottom-right {{ {box} content: "Page " counter(page) " of " counter(pages); }}']
    if page.marking:
        strong = f"{box} font-weight: bold; letter-spacing: 0.5pt;"
        boxes.append(f"@top-center {{ {strong} content: {css_string(page.marking)}; }}")
        boxes.append(f"@bottom-center {{ {strong} content: {css_string(page.marking)}; }}")
    if page.status:
        boxes.append(f"@top-right {{ {box} font-weight: bold; content: {css_string(page.status)}; }}")
    if page.footer:
        boxes.append(f"@bottom-left {{ {box} color: #505a5f; content: {css_string(page.footer)}; }}")
    return "@page { size: A4; margin: 22mm 18mm 22mm; " + " ".join(boxes) + " }"


def render_pdf(template: str, context: dict, *, title: str, marking: str, partnership, status: str = "",
               footer: str = "", base_url: str | None = None) -> bytes:
    """Render ``template`` (which extends ``pdf/base_pdf.html``) as a tagged PDF/UA-1 document of ``partnership``
    (the case's leading partnership: its name heads the document)."""
    from weasyprint import HTML  # loading Pango costs time on every other page, so only when a PDF is made

    page = PdfPage(title=title, marking=marking, status=status, footer=footer)
    html = render_to_string(template, {"partnership": partnership, "generated_at": timezone.localtime(),
                                       **context, "pdf": page, "font_stack": FONT_STACK})
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")


def warm_up() -> float:
    """Render a small document the way every document is rendered, so that a worker pays once, at boot, for what
    the first PDF would otherwise pay: loading WeasyPrint and Pango, the fonts in regular and bold, the font
    subsetter and the base template (issue 20: "decision sheet PDF < 1 s, a worker's first included"). Called by
    gunicorn (``gunicorn.conf.py``) and Celery (``rapidreview/celery.py``) when a worker starts. Returns seconds."""
    start = time.perf_counter()
    render_pdf("pdf/warm_up.html", {}, title="Warm-up", marking=Marking.OFFICIAL_SENSITIVE, partnership=None,
               status="Draft", footer="Warm-up")
    return time.perf_counter() - start


def pdf_response(pdf: bytes, *, filename: str, attachment: bool = False) -> HttpResponse:
    """Serve a PDF under a file name that says what it is and which case, never whose."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
