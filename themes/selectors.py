"""Reads on themes: the active list, the logs, recurrence across cases, and the themes report."""

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone

from referrals.models import Case

from .models import CaseTheme, Theme


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True).order_by("name")


def case_themes(*, case, log: str | None = None) -> QuerySet[CaseTheme]:
    rows = CaseTheme.objects.filter(case=case).select_related("theme", "recorded_by").order_by("theme__name")
    return rows.filter(log=log) if log else rows


def recurrence(*, case, user, months: int = 24, log: str | None = None) -> list[dict]:
    """For each theme of ``case``: how many OTHER cases had it in the last ``months`` months.

    Returns ``[{"theme": Theme, "count": int, "cases": [Case, ...]}]`` sorted by count (highest first), then name.
    ``count`` counts every other case (a number names nobody); ``cases`` lists only those ``user`` may see, so the
    links never reveal a case to someone not entitled to it. Both logs count unless ``log`` narrows it. Three
    queries whatever the number of themes.
    """
    own = CaseTheme.objects.filter(case=case)
    if log:
        own = own.filter(log=log)
    themes = {row.theme_id: row.theme for row in own.select_related("theme")}
    if not themes:
        return []
    since = timezone.now() - relativedelta(months=months)
    pairs = (CaseTheme.objects.filter(theme_id__in=themes.keys(), recorded_at__gte=since)
             .exclude(case_id=case.pk).values_list("theme_id", "case_id").distinct())
    if log:
        pairs = pairs.filter(log=log)
    by_theme: dict = defaultdict(set)
    for theme_id, case_id in pairs:
        by_theme[theme_id].add(case_id)
    all_ids = set().union(*by_theme.values()) if by_theme else set()
    visible = {c.pk: c for c in Case.objects.visible_to(user).filter(pk__in=all_ids).order_by("reference")} \
        if all_ids else {}
    result = []
    for theme_id, theme in themes.items():
        ids = by_theme.get(theme_id, set())
        result.append({"theme": theme, "count": len(ids),
                       "cases": sorted((visible[i] for i in ids if i in visible), key=lambda c: c.reference)})
    result.sort(key=lambda r: (-r["count"], r["theme"].name))
    return result


def log_cases(*, user, log: str, theme=None, year: int | None = None, agency=None) -> QuerySet[Case]:
    """Cases with themes in ``log`` that ``user`` may see, newest first, with their themes prefetched."""
    from django.db.models import Max, Prefetch

    rows = CaseTheme.objects.filter(log=log)
    if theme:
        rows = rows.filter(theme=theme)
    if year:
        rows = rows.filter(recorded_at__year=year)
    cases = Case.objects.visible_to(user).filter(pk__in=rows.values("case_id"))
    if agency:
        cases = cases.filter(involved_agencies=agency)
    return (cases.annotate(themes_recorded_at=Max("case_themes__recorded_at"))
            .prefetch_related(Prefetch("case_themes", queryset=CaseTheme.objects.filter(log=log)
                                       .select_related("theme").order_by("theme__name"), to_attr="log_themes"))
            .order_by("-themes_recorded_at", "reference"))


def period_of(moment: datetime.datetime, by: str) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if by == "quarter":
        return f"{local.year} Q{(local.month - 1) // 3 + 1}"
    return str(local.year)


def theme_report(*, log: str | None = None, by: str = "year", start_year: int | None = None,
                 end_year: int | None = None) -> dict:
    """Counts of cases by theme over time and by agency (the cases' involved agencies).

    Returns {"periods": [...], "themes": [{"theme", "total", "by_period": [n...]}], "agencies": [...],
    "by_agency": [{"theme", "counts": [n...]}], "period_totals": [...]} with a case counted once per theme and
    period (and once per theme and agency).
    """
    rows = CaseTheme.objects.all()
    if log:
        rows = rows.filter(log=log)
    if start_year:
        rows = rows.filter(recorded_at__year__gte=start_year)
    if end_year:
        rows = rows.filter(recorded_at__year__lte=end_year)
    data = list(rows.values_list("theme_id", "case_id", "recorded_at"))
    theme_ids = {t for t, _, _ in data}
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=theme_ids)}
    by_period: dict = defaultdict(set)
    periods = set()
    for theme_id, case_id, at in data:
        p = period_of(at, by)
        periods.add(p)
        by_period[(theme_id, p)].add(case_id)
    periods = sorted(periods)
    case_ids = {c for _, c, _ in data}
    agency_pairs = list(Case.involved_agencies.through.objects.filter(case_id__in=case_ids)
                        .values_list("case_id", "agency__name"))
    agencies_of: dict = defaultdict(set)
    for case_id, agency_name in agency_pairs:
        agencies_of[case_id].add(agency_name)
    agencies = sorted({name for _, name in agency_pairs})
    theme_cases: dict = defaultdict(set)
    for theme_id, case_id, _ in data:
        theme_cases[theme_id].add(case_id)
    themes_out, agency_out = [], []
    for theme_id, cases in sorted(theme_cases.items(), key=lambda kv: (-len(kv[1]), themes[kv[0]].name)):
        theme = themes[theme_id]
        themes_out.append({"theme": theme, "total": len(cases),
                           "by_period": [len(by_period.get((theme_id, p), ())) for p in periods]})
        agency_out.append({"theme": theme, "counts": [sum(1 for c in cases if a in agencies_of[c])
                                                      for a in agencies]})
    period_cases: dict = defaultdict(set)
    for _theme_id, case_id, at in data:
        period_cases[period_of(at, by)].add(case_id)
    return {"periods": periods, "themes": themes_out, "agencies": agencies, "by_agency": agency_out,
            "period_totals": [len(period_cases[p]) for p in periods], "case_count": len(case_ids)}
