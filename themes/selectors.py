"""Reads on themes: the active list, the logs, recurrence across cases, the themes report and learning.

Everything here is one partnership's (ADR 0015): a list names the partnership (``partnership=``), and what hangs off
a case counts within the partnership leading it, whose themes list the case's themes come from.
"""

import datetime
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber, TruncQuarter, TruncYear
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actionplan.models import Action, ActionSource
from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.datacache import cached
from rapidreview.db import SubqueryCount
from referrals.models import Case
from referrals.selectors import get_visible_case, visible_cases

from .models import LEARNING_ROUTES, CaseTheme, LearningItem, LearningKind, Theme, ThemeLog


def active_themes(*, partnership) -> QuerySet[Theme]:
    """The themes ``partnership`` offers when themes are recorded."""
    return Theme.objects.filter(partnership=partnership, is_active=True).order_by("name")


def all_themes(*, partnership) -> QuerySet[Theme]:
    """Every theme on ``partnership``'s list, inactive ones too (old logs use them), by name."""
    return Theme.objects.filter(partnership=partnership).order_by("name")


def themes_to_record(*, case, current=()) -> QuerySet[Theme]:
    """The themes offered on ``case``: its leading partnership's active ones, plus inactive ones already recorded
    (``current``), so saving does not silently drop them."""
    return (Theme.objects.filter(partnership_id=case.partnership_id)
            .filter(Q(is_active=True) | Q(pk__in=[t.pk for t in current])).order_by("name"))


def themes_named(names, *, partnership) -> QuerySet[Theme]:
    """``partnership``'s themes called ``names`` (for example the themes proposed on an agency check form)."""
    return Theme.objects.filter(partnership=partnership, name__in=list(names or []))


def may_record_themes(user, case) -> bool:
    """The business unit and the rapid review chair of the partnership leading ``case`` record its themes; a
    partnership taking part reads them."""
    acting = user.partnership
    return bool(acting and case.partnership_id == acting.pk and user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR))


def case_to_record_themes(user, case_id) -> Case:
    """The case whose themes ``user`` records: 404 when they may not see it, 403 when their partnership only takes
    part in it (the leading partnership records themes; ``referrals.selectors.get_led_case`` has the same rule)."""
    case = get_visible_case(user, case_id)
    if not may_record_themes(user, case):
        raise PermissionDenied
    return case


def get_theme(theme_id, *, partnership) -> Theme:
    """One of ``partnership``'s themes (404 for another partnership's)."""
    return get_object_or_404(Theme, pk=theme_id, partnership=partnership)


def case_themes(*, case, log: str | None = None) -> QuerySet[CaseTheme]:
    rows = CaseTheme.objects.filter(case=case).select_related("theme", "recorded_by").order_by("theme__name")
    return rows.filter(log=log) if log else rows


RECURRENCE_MONTHS = 24


def recurrence(*, case, user, months: int = RECURRENCE_MONTHS, listed: int = 10, themes=None) -> list[dict]:
    """For each theme of ``case``: how many OTHER cases had it recorded in the last ``months`` months.

    Returns ``[{"theme": Theme, "count": int, "cases": [Case, ...], "since": date}]`` sorted by count (highest
    first), then name. Every page counts the same way: another case counts once for a theme, whichever themes log
    recorded it (a theme seen at notification stage and at rapid review is the same pattern). ``count`` counts every
    other case (a number names nobody); ``cases`` lists only those ``user`` may see, so the links never reveal a case
    to someone not entitled to it, and at most ``listed`` of them, the most recent: a national installation has
    thousands of cases per theme. At most three queries whatever the number of themes or cases. ``themes`` (Theme
    objects) replaces the case's logged themes, for pages where themes are proposed before they are logged, such as
    an agency check form under quality assurance; only the case's leading partnership's themes count, so the
    numbers are always that partnership's.
    """
    if themes is None:
        themes = [row.theme for row in CaseTheme.objects.filter(case=case).select_related("theme")]
    themes = [theme for theme in themes if theme.partnership_id == case.partnership_id]
    return _recurrence(case=case, user=user, months=months, listed=listed,
                       groups={None: {theme.pk: theme for theme in themes}})[None]


def recurrence_by_log(*, case, user, months: int = RECURRENCE_MONTHS, listed: int = 10) -> dict[str, list[dict]]:
    """``recurrence`` of the themes recorded in each log ({log value: rows}), in the same queries; the counts are
    ``recurrence``'s, so a theme in both logs reads the same in each."""
    groups: dict = {value: {} for value in ThemeLog.values}
    for row in CaseTheme.objects.filter(case=case).select_related("theme"):
        groups[row.log][row.theme_id] = row.theme
    return _recurrence(case=case, user=user, months=months, listed=listed, groups=groups)


def recurrence_since(months: int = RECURRENCE_MONTHS) -> datetime.date:
    """The first day counted by ``recurrence``."""
    return timezone.localdate() - relativedelta(months=months)


def _recurrence(*, case, user, months: int, listed: int, groups: dict) -> dict:
    """``groups`` maps a key (a log, or None) to {theme id: Theme}; returns the same keys with their rows."""
    wanted_themes = set().union(*(per_group.keys() for per_group in groups.values()))
    if not wanted_themes:
        return {key: [] for key in groups}
    # Counts and candidates do not depend on the reader: kept until themes are next logged (ADR 0005).
    counts, candidates = cached(REPORT, ("recurrence", case.pk, timezone.localdate(), months, listed * 3,
                                         *sorted(str(pk) for pk in wanted_themes)),
                                lambda: _recurring_cases(case=case, months=months, candidates=listed * 3,
                                                         theme_ids=wanted_themes))
    wanted = set().union(*candidates.values()) if candidates else set()
    visible = ({c.pk: c for c in visible_cases(user).filter(pk__in=wanted).only("id", "reference")}
               if wanted else {})
    since = recurrence_since(months)
    out = {}
    for key, per_group in groups.items():
        rows = []
        for theme_id, theme in per_group.items():
            shown = [visible[i] for i in candidates.get(theme_id, []) if i in visible][:listed]
            rows.append({"theme": theme, "count": counts.get(theme_id, 0), "since": since,
                         "cases": sorted(shown, key=lambda c: c.reference)})
        rows.sort(key=lambda r: (-r["count"], r["theme"].name))
        out[key] = rows
    return out


def _recurring_cases(*, case, months: int, candidates: int, theme_ids: set) -> tuple[dict, dict]:
    """({theme id: number of other cases}, {theme id: the ``candidates`` most recent of them}) in one query.
    Links are chosen among the candidates, because some may be invisible to the reader."""
    since = timezone.make_aware(datetime.datetime.combine(recurrence_since(months), datetime.time.min))
    pairs = CaseTheme.objects.filter(theme_id__in=theme_ids, recorded_at__gte=since).exclude(case_id=case.pk)
    # One row per (theme, case), whichever log recorded it: the partition's row count is the number of other cases.
    ranked = (pairs.order_by().values("theme_id", "case_id").annotate(latest=Max("recorded_at"))
              .annotate(rank=Window(RowNumber(), partition_by=[F("theme_id")], order_by=F("latest").desc()),
                        cases=Window(Count("case_id"), partition_by=[F("theme_id")]))
              .filter(rank__lte=candidates).order_by("rank").values_list("theme_id", "case_id", "cases"))
    counts: dict = {}
    found: dict = defaultdict(list)
    for theme_id, case_id, number in ranked:
        counts[theme_id] = number
        found[theme_id].append(case_id)
    return counts, dict(found)


def log_rows(log: str, *, partnership) -> QuerySet[CaseTheme]:
    """Every row of one of ``partnership``'s themes logs (filtered by ``filters.LogFilter``)."""
    return CaseTheme.objects.filter(log=log, theme__partnership=partnership)


def log_cases(*, user, log: str, rows: QuerySet[CaseTheme] | None = None) -> QuerySet[Case]:
    """Cases with ``rows`` of ``log`` (by default all of the acting partnership's) that ``user`` may see, newest
    first, with their themes prefetched."""
    rows = log_rows(log, partnership=user.partnership) if rows is None else rows
    cases = visible_cases(user).filter(pk__in=rows.values("case_id"))
    latest = CaseTheme.objects.filter(case=OuterRef("pk")).order_by("-recorded_at").values("recorded_at")[:1]
    return (cases.annotate(themes_recorded_at=Subquery(latest))
            .prefetch_related(Prefetch("case_themes", queryset=CaseTheme.objects.filter(log=log)
                                       .select_related("theme").order_by("theme__name"), to_attr="log_themes"),
                              Prefetch("learning_items", queryset=LearningItem.objects.filter(
                                  kind__in=LEARNING_ROUTES).order_by("date"), to_attr="learning_routes"))
            .order_by("-themes_recorded_at", "reference"))


def period_of(moment: datetime.datetime, by: str) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if by == "quarter":
        return f"{local.year} Q{(local.month - 1) // 3 + 1}"
    return str(local.year)


REPORT = "themes-report"


def theme_report(*, partnership, log: str | None = None, by: str = "year", start_year: int | None = None,
                 end_year: int | None = None) -> dict:
    """Counts of ``partnership``'s cases by theme over time and by agency (the cases' involved agencies), worked
    out again only after recorded themes, cases' agencies or names have changed (``ThemesConfig.watch_report_data``).
    """
    return cached(REPORT, (partnership.pk, log, by, start_year, end_year),
                  lambda: _theme_report(partnership=partnership, log=log, by=by, start_year=start_year,
                                        end_year=end_year))


def _theme_report(*, partnership, log: str | None, by: str, start_year: int | None, end_year: int | None) -> dict:
    """Counts of cases by theme over time and by agency (the cases' involved agencies).

    Returns {"periods": [...], "themes": [{"theme", "total", "by_period": [n...]}], "agencies": [...],
    "by_agency": [{"theme", "counts": [n...]}], "period_totals": [...]} with a case counted once per theme and
    period (and once per theme and agency). The database does the counting (a handful of GROUP BY queries), so the
    report takes the same time whether there are a hundred recorded themes or fifty thousand.
    """
    rows = CaseTheme.objects.filter(theme__partnership=partnership)
    if log:
        rows = rows.filter(log=log)
    if start_year:
        rows = rows.filter(recorded_at__year__gte=start_year)
    if end_year:
        rows = rows.filter(recorded_at__year__lte=end_year)
    trunc = (TruncQuarter if by == "quarter" else TruncYear)("recorded_at", tzinfo=timezone.get_current_timezone())
    distinct_cases = Count("case_id", distinct=True)

    def label(moment) -> str:
        return f"{moment.year} Q{(moment.month - 1) // 3 + 1}" if by == "quarter" else str(moment.year)

    totals = dict(rows.values_list("theme_id").annotate(n=distinct_cases).order_by())
    by_period = {(theme_id, label(moment)): n for theme_id, moment, n in
                 rows.annotate(period=trunc).values_list("theme_id", "period").annotate(n=distinct_cases).order_by()}
    period_counts = {label(moment): n for moment, n in
                     rows.annotate(period=trunc).values_list("period").annotate(n=distinct_cases).order_by()}
    by_agency = {(theme_id, name): n for theme_id, name, n in
                 rows.filter(case__involved_agencies__isnull=False)
                 .values_list("theme_id", "case__involved_agencies__name").annotate(n=distinct_cases).order_by()}
    case_count = rows.aggregate(n=distinct_cases)["n"]
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=totals.keys())}
    periods = sorted(period_counts)
    agencies = sorted({name for _, name in by_agency})
    themes_out, agency_out = [], []
    for theme_id, total in sorted(totals.items(), key=lambda kv: (-kv[1], themes[kv[0]].name)):
        theme = themes[theme_id]
        themes_out.append({"theme": theme, "total": total,
                           "by_period": [by_period.get((theme_id, p), 0) for p in periods]})
        agency_out.append({"theme": theme, "counts": [by_agency.get((theme_id, a), 0) for a in agencies]})
    return {"periods": periods, "themes": themes_out, "agencies": agencies, "by_agency": agency_out,
            "period_totals": [period_counts[p] for p in periods], "case_count": case_count}


def themes_with_case_counts(*, partnership) -> QuerySet[Theme]:
    """``partnership``'s themes, active ones first, each with ``case_count``: the number of cases it was recorded
    on."""
    return (Theme.objects.filter(partnership=partnership)
            .annotate(case_count=SubqueryCount(CaseTheme.objects.filter(theme=OuterRef("pk"))
                                               .values("case_id").distinct()))
            .order_by("-is_active", "name"))


def learning_items(*, partnership) -> QuerySet[LearningItem]:
    """``partnership``'s learning events and bulletins."""
    return LearningItem.objects.filter(partnership=partnership)


def learning_overview(*, partnership, kind: str, today: datetime.date) -> dict:
    """``partnership``'s learning page's lists: events still to come, everything else (newest first, to
    paginate), and follow-ups not yet done. Only items of ``kind`` when it is a learning kind."""
    mine = learning_items(partnership=partnership)
    items = mine.select_related("case").order_by("-date", "-created_at")
    if kind in LearningKind.values:
        items = items.filter(kind=kind)
    upcoming_q = Q(date__gte=today) & ~Q(kind=LearningKind.BULLETIN)
    return {
        "upcoming": items.filter(upcoming_q).order_by("date"),
        "past": items.exclude(upcoming_q),
        "follow_ups": mine.filter(follow_up_on__isnull=False, follow_up_done_on__isnull=True)
        .order_by("follow_up_on"),
    }


def learning_card_items(*, partnership, today: datetime.date) -> dict:
    """The business unit's dashboard card: events in the next 90 days and follow-ups due within 14."""
    mine = learning_items(partnership=partnership)
    soon = Q(date__gte=today, date__lte=today + datetime.timedelta(days=90))
    return {"events": list(mine.exclude(kind=LearningKind.BULLETIN).filter(soon).order_by("date")[:5]),
            "follow_ups": mine.filter(follow_up_done_on__isnull=True,
                                      follow_up_on__lte=today + datetime.timedelta(days=14)).count()}


def learning_route_actions(item: LearningItem) -> list:
    """The actions a learning route put on its partnership's action plan (its case's, from a learning route)."""
    if not item.is_learning_route or item.case_id is None:
        return []
    return list(Action.objects.filter(case_id=item.case_id, partnership=item.partnership,
                                      source=ActionSource.LEARNING_ROUTE).order_by("due_on"))


def get_learning_item(item_id, *, partnership, kind: str | None = None) -> LearningItem:
    """One of ``partnership``'s learning events or bulletins with who created and sent it (404 when there is none,
    or when it is another partnership's)."""
    items = learning_items(partnership=partnership).select_related("partnership", "sent_by", "created_by")
    if kind:
        items = items.filter(kind=kind)
    return get_object_or_404(items, pk=item_id)


def learning_reminder_owners(item, clock) -> list:
    """The item's partnership's business unit follows learning events up (registered in ``ThemesConfig.ready``)."""
    return list(users_with_role(Role.BUSINESS_UNIT, partnership=item.partnership))
