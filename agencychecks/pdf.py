"""The pack as one PDF: a cover, a contents page and each agency's section, made with WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone

from rapidreview.accounts.models import Partnership


def render_pack_pdf(*, case, pack, entries, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: loading its libraries costs time on every other page

    html = render_to_string("agencychecks/pack_pdf.html", {"partnership": Partnership.load(),
        "case": case, "pack": pack, "entries": entries, "generated_at": timezone.localtime()})
    return HTML(string=html, base_url=base_url).write_pdf()
