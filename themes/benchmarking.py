"""Benchmarking across partnerships, opt-in (issue 18, ADR 0015).

A partnership that shares its aggregate figures (``Partnership.shares_benchmarks``) sees them beside the spread of
the other partnerships that share theirs: the lowest, the median and the highest value, never a name and never a
case. The figures are of the cases each partnership leads, over the last twelve months:

- timeliness: the share of Serious Incident Notification decisions made within their working days (5 by default),
  of panels held within 10 working days and of decisions sent to the National Panel within 15 (each partnership's
  own durations and calendar set those clocks' due dates);
- decisions by outcome: threshold met or not met at the SIN decision, and practice reviews commissioned;
- the themes of its rapid reviews: the share of rapid reviews in which each of its most frequent themes appeared.

A spread is shown only when at least ``MIN_OTHERS`` other partnerships contribute to it: with fewer, the lowest or
highest value could be read as one named neighbour's. This is the one module that reads several partnerships' data
at once; it returns numbers only, and only the reader's own theme names.
"""

import datetime
import statistics
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from rapidreview.accounts.models import Partnership
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.datacache import cached
from referrals.models import CaseEvent, Stage, ThresholdDecision, ThresholdOutcome

from .models import CaseTheme, ThemeLog

# Fewer other sharing partnerships than this and no spread is shown, so no figure can be tied to one of them.
MIN_OTHERS = 3
WINDOW_MONTHS = 12
TOP_THEMES = 5
BENCHMARKS = "benchmarks"

TIMELINESS = [
    ("sin_decision", ClockKind.SIN_DECISION, "Serious Incident Notification decisions made within 5 working days"),
    ("panel_meeting", ClockKind.PANEL_MEETING, "Rapid review panels held within 10 working days"),
    ("national_panel", ClockKind.NATIONAL_PANEL, "Decisions sent to the National Panel within 15 working days"),
]
COUNTS = [
    ("threshold_met", "Threshold met: Serious Incident Notifications"),
    ("threshold_not_met", "Threshold not met"),
    ("rapid_reviews", "Rapid reviews held (panel met)"),
    ("cspr_commissioned", "Practice reviews commissioned"),
]


def window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day counted: the twelve months up to and including today."""
    today = today or timezone.localdate()
    return today - relativedelta(months=WINDOW_MONTHS) + datetime.timedelta(days=1), today


def sharing_partnerships():
    return Partnership.objects.filter(shares_benchmarks=True, is_active=True)


def figures_by_partnership(today: datetime.date | None = None) -> dict[int, dict]:
    """{partnership id: figures} for every partnership that shares, worked out again when the data changes or the
    day does (``ThemesConfig.watch_report_data``). A fixed number of queries, whatever the number of partnerships."""
    since, until = window(today)
    return cached(BENCHMARKS, (since, until), lambda: _figures(since, until))


def _empty() -> dict:
    return {"timeliness": {}, "counts": dict.fromkeys((key for key, _ in COUNTS), 0), "themes": {}}


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _figures(since: datetime.date, until: datetime.date) -> dict[int, dict]:
    ids = list(sharing_partnerships().values_list("pk", flat=True))
    out = {pk: _empty() for pk in ids}
    if not ids:
        return out
    start, end = _aware(since), _aware(until + datetime.timedelta(days=1))

    # Timeliness: clocks due in the window and decided (met, or past due); on time when met by the due date.
    kinds = {kind: key for key, kind, _ in TIMELINESS}
    met = Q(state=ClockState.MET, met_at__isnull=False)
    decided = met | Q(due_on__lt=until)
    on_time = met & Q(met_on__lte=F("due_on"))
    clocks = (Clock.objects.filter(partnership_id__in=ids, kind__in=list(kinds), due_on__gte=since, due_on__lte=until,
                                   state__in=[ClockState.MET, ClockState.RUNNING, ClockState.OVERDUE])
              .annotate(met_on=TruncDate("met_at", tzinfo=timezone.get_current_timezone()))
              .values_list("partnership_id", "kind")
              .annotate(ok=Count("id", filter=on_time), n=Count("id", filter=decided)).order_by())
    for pk, kind, ok, n in clocks:
        if n:
            out[pk]["timeliness"][kinds[kind]] = (ok, n)

    # Decisions by outcome.
    for pk, outcome, n in (ThresholdDecision.objects.filter(case__partnership_id__in=ids, discussed_on__gte=since,
                                                             discussed_on__lte=until)
                           .values_list("case__partnership_id", "outcome").annotate(n=Count("id")).order_by()):
        key = "threshold_met" if outcome == ThresholdOutcome.MET else "threshold_not_met"
        out[pk]["counts"][key] += n
    stages = (CaseEvent.objects.filter(kind="stage", to_stage__in=[Stage.DECISION, Stage.CSPR], at__gte=start,
                                       at__lt=end, case__partnership_id__in=ids)
              .values_list("case__partnership_id")
              .annotate(reviews=Count("case_id", distinct=True, filter=Q(to_stage=Stage.DECISION)),
                        csprs=Count("case_id", distinct=True, filter=Q(to_stage=Stage.CSPR))).order_by())
    for pk, reviews, csprs in stages:
        out[pk]["counts"]["rapid_reviews"] = reviews
        out[pk]["counts"]["cspr_commissioned"] = csprs

    # Themes of the rapid reviews held in the window, by theme name (each partnership keeps its own list).
    reviewed = CaseEvent.objects.filter(kind="stage", to_stage=Stage.DECISION, at__gte=start, at__lt=end,
                                        case__partnership_id__in=ids).values("case_id")
    for pk, name, n in (CaseTheme.objects.filter(log=ThemeLog.RAPID_REVIEW, case_id__in=reviewed)
                        .values_list("case__partnership_id", "theme__name")
                        .annotate(n=Count("case_id", distinct=True)).order_by()):
        if pk in out:
            out[pk]["themes"][name] = n
    return out


@dataclass
class Spread:
    """The other partnerships' values of one figure (shares from 0 to 1, or counts), or too few to show."""

    kind: str = "count"
    low: float | None = None
    median: float | None = None
    high: float | None = None
    contributors: int = 0

    @property
    def shown(self) -> bool:
        return self.contributors >= MIN_OTHERS

    def display(self, value) -> str:
        if value is None:
            return ""
        return f"{value * 100:.0f}%" if self.kind == "share" else f"{value:g}"

    @property
    def low_display(self) -> str:
        return self.display(self.low)

    @property
    def median_display(self) -> str:
        return self.display(self.median)

    @property
    def high_display(self) -> str:
        return self.display(self.high)


def spread(values: list[float], kind: str = "count") -> Spread:
    """Lowest, median and highest of ``values`` (the other partnerships'), empty when too few to show safely."""
    if len(values) < MIN_OTHERS:
        return Spread(kind=kind, contributors=len(values))
    return Spread(kind, min(values), statistics.median(values), max(values), len(values))


def _share(pair) -> float | None:
    ok, n = pair if pair else (0, 0)
    return ok / n if n else None


def benchmarks_for(partnership, today: datetime.date | None = None) -> dict:
    """What the benchmarking page shows ``partnership``: {"sharing", "others", "shown", "since", "until", "rows"}.

    ``sharing`` False: the partnership does not share, so it sees nothing of the others'. ``others``: how many
    other partnerships share; ``shown`` False when fewer than ``MIN_OTHERS`` (then no spread is in ``rows``).
    ``rows``: sections of {"label", "own" (display), "spread": Spread, "kind": "share" | "count"}.
    """
    since, until = window(today)
    result = {"sharing": bool(partnership.shares_benchmarks and partnership.is_active), "since": since,
              "until": until, "others": 0, "shown": False, "sections": [], "min_others": MIN_OTHERS}
    if not result["sharing"]:
        return result
    every = figures_by_partnership(today)
    own = every.get(partnership.pk) or _empty()
    others = [figures for pk, figures in every.items() if pk != partnership.pk]
    result["others"] = len(others)
    result["shown"] = len(others) >= MIN_OTHERS

    def other_spread(values, kind):
        return spread([v for v in values if v is not None], kind) if result["shown"] else Spread(kind)

    timeliness = []
    for key, _kind, label in TIMELINESS:
        pair = own["timeliness"].get(key)
        share = _share(pair)
        timeliness.append({"label": label, "kind": "share", "value": share,
                           "own": f"{share * 100:.0f}% ({pair[0]} of {pair[1]})" if share is not None else "No data",
                           "spread": other_spread([_share(o["timeliness"].get(key)) for o in others], "share")})
    counts = []
    for key, label in COUNTS:
        value = own["counts"].get(key) or 0
        counts.append({"label": label, "kind": "count", "value": value, "own": str(value),
                       "spread": other_spread([o["counts"].get(key) or 0 for o in others], "count")})
    reviews = own["counts"].get("rapid_reviews") or 0
    top = sorted(own["themes"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_THEMES]
    themes = []
    for name, n in top:
        share = n / reviews if reviews else None
        others_shares = [(o["themes"].get(name, 0) / o["counts"]["rapid_reviews"])
                         if o["counts"].get("rapid_reviews") else None for o in others]
        themes.append({"label": name, "kind": "share", "value": share,
                       "own": f"{share * 100:.0f}% ({n} of {reviews})" if share is not None else "No data",
                       "spread": other_spread(others_shares, "share")})
    result["sections"] = [
        {"key": "timeliness", "title": "Timeliness", "rows": timeliness,
         "note": "Deadlines falling due in the period that have been met or have passed. Each partnership's own "
                 "durations and non-working days set its deadlines."},
        {"key": "decisions", "title": "Decisions by outcome", "rows": counts,
         "note": "Numbers of decisions in the period. Partnerships differ in size, so compare with care."},
        {"key": "themes", "title": "Your most frequent themes in rapid reviews", "rows": themes,
         "note": "The share of rapid reviews held in the period in which the theme was recorded. Other "
                 "partnerships are compared on a theme of the same name on their own list; their other themes are "
                 "never shown."},
    ]
    return result
