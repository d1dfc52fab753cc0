"""The themes report: cases by theme, period and agency, as charts, a table and a CSV download."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.exports import Column, csv_bytes, download

from .. import charts, selectors
from ..forms import ReportFilterForm
from .common import THEME_VIEWERS


def _report(request):
    form = ReportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return form, selectors.theme_report(partnership=request.partnership, log=f.get("log") or None,
                                        by=f.get("by") or "year",
                                        start_year=f.get("start_year"), end_year=f.get("end_year"))


@require_GET
@role_required(*THEME_VIEWERS)
def theme_report(request):
    form, report = _report(request)
    top = report["themes"][:15]
    totals_chart = charts.horizontal_bars(
        chart_id="chart-themes", title="Cases by theme",
        desc="Bar chart of the number of cases in which each theme was recorded. The same figures are in the "
             "table 'Cases by theme and period'.",
        labels=[r["theme"].name for r in top], values=[r["total"] for r in top]) if top else None
    period_chart = charts.columns(
        chart_id="chart-periods", title="Cases with themes recorded, by period",
        desc="Column chart of the number of cases with at least one theme recorded in each period. The same "
             "figures are the last row of the table 'Cases by theme and period'.",
        labels=report["periods"], values=report["period_totals"]) if report["periods"] else None
    query = request.GET.urlencode()
    return render(request, "themes/report.html", {"form": form, "report": report, "totals_chart": totals_chart,
                                                  "period_chart": period_chart, "query": query,
                                                  "section": "report"})


@require_GET
@role_required(*THEME_VIEWERS)
def theme_report_csv(request):
    _form, report = _report(request)
    columns = [Column("Breakdown", 12), Column("Theme", 40), Column("Period or agency", 36), Column("Cases", 8)]
    rows = []
    for r in report["themes"]:
        rows += [["By period", r["theme"].name, p, n] for p, n in zip(report["periods"], r["by_period"], strict=True)]
    for r in report["by_agency"]:
        rows += [["By agency", r["theme"].name, a, n] for a, n in zip(report["agencies"], r["counts"], strict=True)
                 if n]
    access_log(request, action=AccessAction.EXPORT)
    return download(csv_bytes(columns, rows), f"themes-report-{timezone.localdate().isoformat()}.csv")
