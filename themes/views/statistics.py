"""The annual statistics: the page, and its CSV, Excel and PDF downloads."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.exports import Column, csv_bytes, download, xlsx_bytes
from rapidreview.pdf import Marking, pdf_response, render_pdf

from ..forms import YearForm
from ..statistics import annual_statistics, statistics_rows

STATISTICS_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE)
WIDTHS = (36, 60, 12, 22, 60)


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_page(request):
    year = _year(request)
    stats = annual_statistics(year, partnership=request.partnership)
    access_log(request, action=AccessAction.VIEW)
    return render(request, "themes/statistics.html", {"stats": stats, "year": year, "form": YearForm(
        initial={"year": year})})


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_export(request, fmt):
    year = _year(request)
    rows = statistics_rows(annual_statistics(year, partnership=request.partnership))
    access_log(request, action=AccessAction.EXPORT)
    columns = [Column(name, width, wrap=width >= 60) for name, width in zip(rows[0], WIDTHS, strict=True)]
    if fmt == "csv":
        return download(csv_bytes(columns, rows[1:]), f"annual-statistics-{year}.csv")
    return download(xlsx_bytes([(f"Statistics {year}", columns, rows[1:])]), f"annual-statistics-{year}.xlsx")


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_pdf(request):
    """The year's figures as a PDF for the annual report; marked, because small numbers can identify a child."""
    year = _year(request)
    partnership = request.partnership
    stats = annual_statistics(year, partnership=partnership)
    access_log(request, action=AccessAction.PDF)
    pdf = render_pdf("themes/statistics_pdf.html", {"stats": stats, "year": year},
                     title=f"{partnership.name}: annual statistics {year}", partnership=partnership,
                     marking=Marking.OFFICIAL_SENSITIVE, footer=f"{partnership.short_name} annual statistics {year}",
                     base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, filename=f"annual-statistics-{year}.pdf", attachment=True)
