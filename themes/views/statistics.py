"""The annual statistics: the page, and its CSV, Excel and PDF downloads."""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.pdf import Marking, pdf_response, render_pdf

from ..forms import YearForm
from ..statistics import annual_statistics, statistics_rows
from .common import csv_response, safe_cell

STATISTICS_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_page(request):
    year = _year(request)
    stats = annual_statistics(year)
    access_log(request, action=AccessAction.VIEW)
    return render(request, "themes/statistics.html", {"stats": stats, "year": year, "form": YearForm(
        initial={"year": year})})


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_export(request, fmt):
    year = _year(request)
    rows = statistics_rows(annual_statistics(year))
    access_log(request, action=AccessAction.EXPORT)
    if fmt == "csv":
        return csv_response(rows, f"annual-statistics-{year}.csv")
    wb = Workbook()
    ws = wb.active
    ws.title = f"Statistics {year}"
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (36, 60, 12, 22, 60), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="annual-statistics-{year}.xlsx"'
    return response


@require_GET
@role_required(*STATISTICS_VIEWERS)
def statistics_pdf(request):
    """The year's figures as a PDF for the annual report; marked, because small numbers can identify a child."""
    year = _year(request)
    stats = annual_statistics(year)
    access_log(request, action=AccessAction.PDF)
    pdf = render_pdf("themes/statistics_pdf.html", {"stats": stats, "year": year},
                     title=f"Annual statistics {year}", marking=Marking.OFFICIAL_SENSITIVE,
                     footer=f"Annual statistics {year}", base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, filename=f"annual-statistics-{year}.pdf", attachment=True)
