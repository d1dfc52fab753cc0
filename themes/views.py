"""Themes pages: the list, the two logs, recording a case's themes, the report, learning and the statistics."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from referrals.selectors import get_visible_case

from . import charts, learning, selectors, services
from .forms import CaseThemesForm, LearningForm, LogFilterForm, ReportFilterForm, ThemeForm, YearForm
from .models import LearningItem, LearningKind, Theme, ThemeLog
from .statistics import annual_statistics, statistics_rows

THEME_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
STATISTICS_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _csv_response(rows, filename):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The themes list -----------------------------------------------------------------------------------------------

@require_GET
@role_required(*THEME_VIEWERS)
def theme_list(request):
    from django.db.models import Count

    themes = Theme.objects.annotate(case_count=Count("case_themes__case", distinct=True)).order_by("-is_active",
                                                                                                    "name")
    return render(request, "themes/list.html", {"themes": themes, "section": "list",
                                                "may_manage": request.user.has_role(Role.BUSINESS_UNIT)})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def theme_create(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(name=form.cleaned_data["name"],
                                          description=form.cleaned_data["description"], actor=request.user)
            if not form.cleaned_data["is_active"]:
                services.theme_set_active(theme=theme, is_active=False, actor=request.user)
        except DomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"“{theme.name}” added.")
            return redirect("themes:list")
    return render(request, "form_page.html", {"form": form, "title": "Add a theme", "caption": "Themes",
                                              "back_url": reverse("themes:list")})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def theme_edit(request, theme_id):
    theme = get_object_or_404(Theme, pk=theme_id)
    form = ThemeForm(request.POST or None, initial={"name": theme.name, "description": theme.description,
                                                    "is_active": theme.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, name=form.cleaned_data["name"], actor=request.user,
                                  description=form.cleaned_data["description"],
                                  is_active=form.cleaned_data["is_active"])
        except DomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, "Theme saved.")
            return redirect("themes:list")
    return render(request, "form_page.html", {"form": form, "title": "Change a theme", "caption": theme.name,
                                              "back_url": reverse("themes:list")})


@require_POST
@role_required(Role.BUSINESS_UNIT)
def theme_toggle(request, theme_id):
    theme = get_object_or_404(Theme, pk=theme_id)
    services.theme_set_active(theme=theme, is_active=not theme.is_active, actor=request.user)
    messages.success(request, f"“{theme.name}” {'reactivated' if not theme.is_active else 'deactivated'}.")
    return redirect("themes:list")


# The logs and a case's themes ----------------------------------------------------------------------------------

@require_GET
@role_required(*THEME_VIEWERS)
def theme_log(request, log):
    if log not in ThemeLog.values:
        raise Http404
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.log_cases(user=request.user, log=log, theme=filters.get("theme"), year=filters.get("year"),
                                agency=filters.get("agency"))
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "themes/log.html", {"log": ThemeLog(log), "form": form, "page": page,
                                               "query": query.urlencode(), "section": log})


@require_http_methods(["GET", "POST"])
@role_required(*THEME_VIEWERS)
def case_themes_record(request, case_id, log):
    if log not in ThemeLog.values:
        raise Http404
    case = get_visible_case(request.user, case_id)
    current = [row.theme for row in selectors.case_themes(case=case, log=log)]
    form = CaseThemesForm(request.POST or None, current=current, initial={"themes": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_log_themes(case=case, themes=list(form.cleaned_data["themes"]), log=log,
                                     actor=request.user, source=form.cleaned_data["source"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Themes saved.")
            return redirect(case.get_absolute_url())
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "form_page.html", {
        "form": form, "title": f"Themes: {ThemeLog(log).label.lower()}", "caption": case.reference,
        "back_url": case.get_absolute_url()})


# The report ----------------------------------------------------------------------------------------------------

def _report(request):
    form = ReportFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    return form, selectors.theme_report(log=f.get("log") or None, by=f.get("by") or "year",
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
    rows = [["Breakdown", "Theme", "Period or agency", "Cases"]]
    for r in report["themes"]:
        rows += [["By period", r["theme"].name, p, n] for p, n in zip(report["periods"], r["by_period"], strict=True)]
    for r in report["by_agency"]:
        rows += [["By agency", r["theme"].name, a, n] for a, n in zip(report["agencies"], r["counts"], strict=True)
                 if n]
    access_log(request, action=AccessAction.EXPORT)
    return _csv_response(rows, f"themes-report-{timezone.localdate().isoformat()}.csv")


# Learning ------------------------------------------------------------------------------------------------------

@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_list(request):
    kind = request.GET.get("kind", "")
    items = LearningItem.objects.select_related("case").order_by("-date", "-created_at")
    if kind in LearningKind.values:
        items = items.filter(kind=kind)
    today = timezone.localdate()
    upcoming_q = Q(date__gte=today) & ~Q(kind=LearningKind.BULLETIN)
    upcoming = items.filter(upcoming_q).order_by("date")
    past = Paginator(items.exclude(upcoming_q), 30).get_page(request.GET.get("page"))
    follow_ups = LearningItem.objects.filter(follow_up_on__isnull=False, follow_up_done_on__isnull=True) \
        .order_by("follow_up_on")
    return render(request, "themes/learning_list.html", {
        "upcoming": upcoming, "page": past, "kinds": LearningKind.choices,
        "kind": kind, "follow_ups": follow_ups, "today": today, "query": f"kind={kind}" if kind else ""})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_create(request, kind):
    if kind not in LearningKind.values:
        raise Http404
    form = LearningForm(request.POST or None, kind=kind, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            item = learning.learning_create(kind=kind, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(item)
    return render(request, "form_page.html", {"form": form, "title": f"Add: {LearningKind(kind).label.lower()}",
                                              "caption": "Learning", "back_url": reverse("themes:learning")})


@require_GET
@role_required(Role.BUSINESS_UNIT)
def learning_detail(request, item_id):
    item = get_object_or_404(LearningItem.objects.select_related("sent_by", "created_by"), pk=item_id)
    return render(request, "themes/learning_detail.html", {
        "item": item, "recipients": learning.distribution_list() if item.is_bulletin and not item.is_sent else []})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def learning_edit(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    if item.is_sent:
        messages.error(request, "This bulletin has been sent and is kept as it was sent.")
        return redirect(item)
    fields = ("title", "date", "audience", "attendance", "materials_url", "follow_up", "follow_up_on", "body")
    form = LearningForm(request.POST or None, kind=item.kind, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            learning.learning_update(item=item, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect(item)
    return render(request, "form_page.html", {"form": form, "title": f"Change: {item.title}",
                                              "caption": item.get_kind_display(), "back_url": item.get_absolute_url()})


@require_POST
@role_required(Role.BUSINESS_UNIT)
def learning_follow_up_done(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    try:
        learning.learning_follow_up_done(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Follow-up recorded as done.")
    return redirect(item)


@require_POST
@role_required(Role.BUSINESS_UNIT)
def bulletin_send(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id)
    try:
        count = learning.learning_bulletin_send(item=item, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Bulletin sent to {count} partner address{'es' if count != 1 else ''}.")
    return redirect(item)


@require_GET
@role_required(Role.BUSINESS_UNIT)
def bulletin_pdf(request, item_id):
    item = get_object_or_404(LearningItem, pk=item_id, kind=LearningKind.BULLETIN)
    access_log(request, action=AccessAction.PDF, obj=item)
    response = HttpResponse(learning.bulletin_pdf(item, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{item.date.isoformat()}.pdf"'
    return response


# Annual statistics ---------------------------------------------------------------------------------------------

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
        return _csv_response(rows, f"annual-statistics-{year}.csv")
    wb = Workbook()
    ws = wb.active
    ws.title = f"Statistics {year}"
    for row in rows:
        ws.append([_safe_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (36, 60, 12, 22, 60), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="annual-statistics-{year}.xlsx"'
    return response


