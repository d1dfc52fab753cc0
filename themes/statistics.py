"""Annual statistics: the figures of a partnership's yearly report, for one year.

A partnership's statistics count the cases it LEADS (Working Together 2023: the partnership where the incident
happened); the cases it takes part in, led by another partnership, are shown apart as "taking part" (ADR 0015).

Later stages contribute figures this app cannot compute without importing them, naming the models they read::

    from themes.statistics import register_figure
    register_figure("cspr_published", lambda year, partnership: {"label": "Practice reviews published", "value": 2},
                    reads=(Cspr, Case))

The statistics are cached until one of the models they read (``READS`` and every figure's ``reads``) is written
(ADR 0035): a write to anything else (an agency check form's draft, a progress note) leaves them warm.

``fn(year, partnership)`` counts the cases ``partnership`` leads and returns ``{"label": str, "value": int | float
| str, "note": str (optional)}`` or None (nothing to show). A function that cannot take ``partnership`` is not shown
at all: it would count every partnership's cases. Known names are placed in their section of the report:
``cspr_published`` (the funnel; ``value`` an int) and ``national_panel_agreed`` (the share of decisions the
National Panel agreed with; ``value`` a float from 0 to 1 or a string such as "3 of 4"). Any other name appears
under "Other figures".
"""

import datetime
import inspect
from collections import Counter
from collections.abc import Callable, Iterable

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from actionplan.models import Action, ActionSource, ActionStatus
from rapidreview.accounts.models import Partnership
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.datacache import cached, watch
from referrals.models import (
    AbuseKind,
    Case,
    CaseEvent,
    CaseParticipation,
    ChildOutcome,
    Harm,
    IncidentChild,
    Referral,
    Route,
    Sex,
    Source,
    Stage,
    ThresholdDecision,
    ThresholdOutcome,
)

from .models import LEARNING_ROUTES, CaseTheme, LearningItem, Theme, ThemeLog

STATISTICS = "annual-statistics"
# The models the figures below read (tests/themes/test_statistics.py checks this against the tables their queries
# name): ``ThemesConfig.watch_report_data`` watches them, and registered figures add theirs.
READS = (Case, CaseEvent, CaseParticipation, IncidentChild, Referral, ThresholdDecision, Clock, Action, CaseTheme,
         Theme, LearningItem, Partnership)

_figures: dict[str, Callable] = {}


def register_figure(name: str, fn: Callable, *, reads: Iterable[type]) -> None:
    """Contribute a figure to the annual statistics; registering the same name again replaces it. ``reads``: every
    model ``fn`` reads, so that a write to one of them makes the cached statistics stale."""
    _figures[name] = fn
    watch(STATISTICS, *reads)


def registered_figures() -> dict[str, Callable]:
    return dict(_figures)


def _counts_per_partnership(fn: Callable) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "partnership" in parameters or any(p.kind == p.VAR_KEYWORD for p in parameters.values())


def figure(name: str, year: int, *, partnership) -> dict | None:
    """The registered figure ``name`` for ``partnership``'s year, or None."""
    fn = _figures.get(name)
    if fn is None or not _counts_per_partnership(fn):
        return None
    result = fn(year, partnership=partnership)
    if result is None:
        return None
    if not isinstance(result, dict):
        result = {"label": name.replace("_", " ").capitalize(), "value": result}
    return result


# ---------------------------------------------------------------------------------------------------------------
# Computing the year's figures. Sources: Case and Referral fields, CaseEvent stage changes, the Clock table, the
# action plan, the themes log and the registered figures. Definitions are shown on the page beside each section.


AGE_BANDS = [(0, 0, "Under 1"), (1, 4, "1 to 4"), (5, 9, "5 to 9"), (10, 15, "10 to 15"), (16, 17, "16 to 17")]


def _row(label, value, display=None, note=""):
    if display is None:
        display = "–" if value is None else (f"{value * 100:.0f}%" if isinstance(value, float) else str(value))
    return {"label": label, "value": value, "display": display, "note": note}


def _days_row(label, value):
    return _row(label, value, "No late ones" if value is None else f"{value:g} day{'s' if value != 1 else ''}")


def _share(part: int, whole: int):
    return (part / whole) if whole else None


def _share_row(label, part, whole, note=""):
    share = _share(part, whole)
    display = f"{share * 100:.0f}% ({part} of {whole})" if share is not None else "No data"
    return _row(label, share, display, note)


def age_band(dob, on) -> str:
    if not dob or not on:
        return "Not known"
    years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    for low, high, label in AGE_BANDS:
        if low <= years <= high:
            return label
    return "18 or over" if years >= 18 else "Not known"


def _stage_cases(year: int, stage: str, cases) -> set:
    """The ids of ``cases`` (a queryset) that moved to ``stage`` in ``year``."""
    return set(CaseEvent.objects.filter(kind="stage", to_stage=stage, at__year=year, case__in=cases)
               .values_list("case_id", flat=True).distinct())


def _clock_timeliness(kind: str, year: int, today: datetime.date, *, partnership):
    """``partnership``'s clocks of ``kind`` due in ``year`` that have been decided: met, or past due and not met.
    Returns (on_time, decided, average calendar days late of the late ones, per-label {label: (on_time, decided)}).

    The database counts (one GROUP BY); only the late clocks, a minority, are read to average their lateness.
    """
    # ``state__in`` rather than excluding cancelled ones, so that the (state, due_on) index serves the year.
    clocks = (Clock.objects.filter(partnership=partnership, kind=kind, due_on__year=year,
                                   state__in=[ClockState.MET, ClockState.RUNNING, ClockState.OVERDUE])
              .annotate(met_on=TruncDate("met_at", tzinfo=timezone.get_current_timezone())))
    met = Q(state=ClockState.MET, met_at__isnull=False)
    decided_q = met | Q(due_on__lt=today)
    on_time_q = met & Q(met_on__lte=F("due_on"))
    on_time = decided = 0
    by_label: dict = {}
    for label, ok, count in (clocks.values_list("label").annotate(ok=Count("id", filter=on_time_q),
                                                                   n=Count("id", filter=decided_q)).order_by()):
        if not count:
            continue
        label = label or "Not recorded"
        a, b = by_label.get(label, (0, 0))
        by_label[label] = (a + ok, b + count)
        on_time += ok
        decided += count
    late_days = [((met_on if state == ClockState.MET and met_on else today) - due_on).days
                 for due_on, met_on, state in clocks.filter(decided_q).exclude(on_time_q)
                 .values_list("due_on", "met_on", "state")]
    average = round(sum(late_days) / len(late_days), 1) if late_days else None
    return on_time, decided, average, by_label


def annual_statistics(year: int, *, partnership) -> dict:
    """``partnership``'s figures for the year as sections of rows: {"year", "sections": [{"key", "title", "note",
    "rows"}]}: the cases it leads, then the cases it takes part in.

    Worked out again whenever what the figures read has changed (``READS``, ``register_figure``), or the day has.
    """
    return cached(STATISTICS, (partnership.pk, year, timezone.localdate()),
                  lambda: _annual_statistics(year, partnership=partnership))


def referred_in(year: int) -> Q:
    """Cases referred in ``year``: by the referral's date, or when the case was opened if it has no referral."""
    return Q(referral__received_on__year=year) | Q(referral__isnull=True, created_at__year=year)


def _annual_statistics(year: int, *, partnership) -> dict:
    today = timezone.localdate()
    sections = []
    led = Case.objects.filter(partnership=partnership)

    # The funnel.
    referred = led.filter(referred_in(year))
    by_source = dict(referred.values("source").annotate(n=Count("id", distinct=True)).values_list("source", "n"))
    rows = [_row(f"Referrals: {label.lower()}", by_source.get(value, 0)) for value, label in Source.choices]
    rows.insert(0, _row("Referrals received", sum(by_source.values())))
    threshold = _stage_cases(year, Stage.THRESHOLD, led)
    rapid_reviews = _stage_cases(year, Stage.DECISION, led)
    notified = led.filter(sin_notified_on__year=year)
    notify_only = Q(threshold_decision__outcome=ThresholdOutcome.NOTIFY_ONLY)
    # Serious incidents notified to the National Panel: not the deaths notified to the Secretary of State and
    # Ofsted only, and never a care leaver's death (DfE counts those apart; ADR 0025).
    sin_cases = list(notified.exclude(notify_only).exclude(route=Route.CARE_LEAVER_DEATH))
    rows += [
        _row("Serious Incident Notification discussions held", len(threshold),
             note="Cases sent for the threshold discussion in the year."),
        _row("Serious Incident Notifications agreed", len(sin_cases),
             note="Notified to the National Panel; one notification per incident, which may cover several "
                  "children."),
        _row("Rapid reviews held", len(rapid_reviews), note="Cases whose rapid review panel met in the year."),
        _row("Practice reviews commissioned", len(_stage_cases(year, Stage.CSPR, led))),
    ]
    published = figure("cspr_published", year, partnership=partnership)
    rows.append(_row(published["label"] if published else "Practice reviews published",
                     published["value"] if published else None,
                     None if published else "Not recorded", note=(published or {}).get("note", "")))
    sections.append({"key": "funnel", "title": "Referrals to reviews", "rows": rows, "note": ""})

    sections.append(_routes(year, led=led, notified=notified, notify_only=notify_only, sin_cases=sin_cases))
    sections.append(_learning_routes(year, partnership=partnership))

    # The children: those whose Serious Incident Notification was made in the year (every child in the incident).
    referrals = {r.case_id: r for r in Referral.objects.filter(case__in=[c.pk for c in sin_cases])
                 .only("case_id", "child_sex", "abuse_kinds")}
    harm = Counter(c.harm or "" for c in sin_cases)
    others = Counter(IncidentChild.objects.filter(case__in=[c.pk for c in sin_cases if c.children_count > 1])
                     .values_list("outcome", flat=True))
    children = len(sin_cases) + sum(others.values())
    rows = [_row(label, harm.get(value, 0) + others.get(value, 0)) for value, label in Harm.choices]
    if others.get(ChildOutcome.AT_RISK):
        rows.append(_row("Not harmed, but at risk", others[ChildOutcome.AT_RISK],
                         note="Further children in the same incident."))
    if harm.get(""):
        rows.append(_row("Harm not recorded", harm[""]))
    sections.append({"key": "harm", "title": "Children: died or seriously harmed", "rows": rows,
                     "note": f"The {children} children in the {len(sin_cases)} Serious Incident Notifications made "
                             f"in {year}. Sex, age and category below are of the first child in each."})
    kinds = Counter(k for r in referrals.values() for k in (r.abuse_kinds or []))
    rows = [_row(label, kinds.get(value, 0)) for value, label in AbuseKind.choices if kinds.get(value)]
    unrecorded = sum(1 for c in sin_cases if not (referrals.get(c.pk) and referrals[c.pk].abuse_kinds))
    if unrecorded:
        rows.append(_row("Category not recorded", unrecorded))
    sections.append({"key": "category", "title": "Children: category of abuse or neglect", "rows": rows,
                     "note": "A child can be counted under more than one category."})
    sexes = Counter((referrals[c.pk].child_sex if c.pk in referrals else "") or Sex.UNKNOWN for c in sin_cases)
    rows = [_row(label, sexes.get(value, 0)) for value, label in Sex.choices if sexes.get(value)]
    sections.append({"key": "sex", "title": "Children: sex", "rows": rows, "note": ""})
    bands = Counter(age_band(c.child_dob, c.incident_date or c.sin_notified_on) for c in sin_cases)
    order = [label for _, _, label in AGE_BANDS] + ["18 or over", "Not known"]
    sections.append({"key": "age", "title": "Children: age when it happened",
                     "rows": [_row(label, bands[label]) for label in order if bands.get(label)], "note": ""})

    # Timeliness, from the clocks.
    rows = []
    panel = _clock_timeliness(ClockKind.PANEL_MEETING, year, today, partnership=partnership)
    national = _clock_timeliness(ClockKind.NATIONAL_PANEL, year, today, partnership=partnership)
    forms = _clock_timeliness(ClockKind.AGENCY_FORM, year, today, partnership=partnership)
    rows.append(_share_row("Panels held by working day 10", panel[0], panel[1]))
    rows.append(_days_row("Panels: average days late (late ones)", panel[2]))
    rows.append(_share_row("Decisions sent to the National Panel by working day 15", national[0], national[1]))
    rows.append(_days_row("Decisions: average days late (late ones)", national[2]))
    rows.append(_share_row("Agency check forms returned on time (all agencies)", forms[0], forms[1]))
    rows.append(_days_row("Forms: average days late (late ones)", forms[2]))
    for label, (ok, total) in sorted(forms[3].items()):
        rows.append(_share_row(f"Forms on time: {label}", ok, total))
    sections.append({"key": "timeliness", "title": "Timeliness", "rows": rows,
                     "note": "Deadlines falling due in the year. A deadline still running and not yet due is not "
                             "counted; one past due and not met counts as late up to today. Days late are calendar "
                             "days."})

    # National Panel, actions and themes.
    agreed = figure("national_panel_agreed", year, partnership=partnership)
    value = agreed["value"] if agreed else None
    rows = [_row(agreed["label"] if agreed else "Decisions the National Panel agreed with", value,
                 None if agreed else "Not recorded", note=(agreed or {}).get("note", ""))]
    sections.append({"key": "national_panel", "title": "The National Panel", "rows": rows, "note": ""})

    confirmed = Q(completion_confirmed_at__isnull=False)
    actions = Action.objects.filter(partnership=partnership, due_on__year=year).aggregate(
        due=Count("id"), decided=Count("id", filter=confirmed | Q(due_on__lt=today)),
        on_time=Count("id", filter=confirmed & Q(completed_on__isnull=False, completed_on__lte=F("due_on"))),
        embedded=Count("id", filter=Q(status=ActionStatus.EMBEDDED)))
    embedded = actions["embedded"]
    sections.append({"key": "actions", "title": "Action plan", "rows": [
        _row("Actions due in the year", actions["due"]),
        _share_row("Actions completed on time", actions["on_time"], actions["decided"],
                   note="Completion confirmed by the working group and done by the due date."),
        _row("Actions embedded", embedded),
    ], "note": "Actions whose due date fell in the year; ones not yet due are not counted in the share."})

    theme_counts = Counter(CaseTheme.objects.filter(log=ThemeLog.RAPID_REVIEW, case_id__in=rapid_reviews)
                           .values_list("theme__name", flat=True))
    rows = [_share_row(name, n, len(rapid_reviews)) for name, n in sorted(theme_counts.items(),
                                                                          key=lambda kv: (-kv[1], kv[0]))]
    sections.append({"key": "themes", "title": "Practice themes", "rows": rows,
                     "note": f"The share of the {len(rapid_reviews)} rapid reviews held in {year} in which each "
                             "theme appeared."})

    sections.append(_taking_part(year, partnership=partnership))

    extra = []
    for name in registered_figures():
        if name in ("cspr_published", "national_panel_agreed"):
            continue
        result = figure(name, year, partnership=partnership)
        if result:
            extra.append(_row(result["label"], result["value"], note=result.get("note", "")))
    if extra:
        sections.append({"key": "other", "title": "Other figures", "rows": extra, "note": ""})
    return {"year": year, "sections": sections}


def _routes(year: int, *, led, notified, notify_only: Q, sin_cases: list) -> dict:
    """Notifications by route. A care leaver's death is counted here and nowhere else, as DfE does."""
    lac_reviewed = sum(1 for c in sin_cases if c.route == Route.LAC_DEATH)
    rows = [
        _row("Serious incidents notified to the National Panel", len(sin_cases)),
        _row("of which the death of a looked-after child", lac_reviewed,
             note="Abuse or neglect known or suspected: a rapid review follows."),
        _row("Deaths of looked-after children notified to the Secretary of State and Ofsted only",
             notified.filter(notify_only, route=Route.LAC_DEATH).count(),
             note="No abuse or neglect known or suspected: no rapid review."),
        _row("Deaths of care leavers notified", notified.filter(route=Route.CARE_LEAVER_DEATH).count(),
             note="Up to their 25th birthday. Counted only here, as in the Department for Education's statistics."),
        _row("Threshold not met", led.filter(threshold_decision__outcome=ThresholdOutcome.NOT_MET,
                                             threshold_decision__discussed_on__year=year).count(),
             note="Threshold discussions in the year that did not lead to a notification."),
    ]
    return {"key": "routes", "title": "Notifications by route", "rows": rows,
            "note": f"Notifications made in {year}, by what was notified."}


def _learning_routes(year: int, *, partnership) -> dict:
    """Local learning routes (cases with learning but no review) held or due in the year, by kind."""
    kinds = Counter(LearningItem.objects.filter(partnership=partnership, kind__in=LEARNING_ROUTES, date__year=year)
                    .values_list("kind", flat=True))
    rows = [_row(kind.label, kinds.get(kind.value, 0)) for kind in LEARNING_ROUTES]
    rows.append(_row("Actions from learning routes", Action.objects.filter(
        partnership=partnership, source=ActionSource.LEARNING_ROUTE, created_at__year=year).count(),
        note="Added to the action plan in the year."))
    return {"key": "learning_routes", "title": "Local learning routes", "rows": rows,
            "note": "For cases with learning but no practice review: a threshold not met, or a death notified "
                    "without a rapid review."}


def taking_part_cases(year: int, *, partnership):
    """The cases another partnership leads and ``partnership`` took part in during ``year`` (its participation not
    ended before the year began)."""
    taking_part = CaseParticipation.objects.filter(partnership=partnership).filter(
        Q(ended_at__isnull=True) | Q(ended_at__year__gte=year)).values("case_id")
    return Case.objects.filter(pk__in=taking_part).exclude(partnership=partnership)


def _taking_part(year: int, *, partnership) -> dict:
    """Joint cross-border reviews this partnership took part in: counted apart, since they count in the leading
    partnership's figures."""
    cases = taking_part_cases(year, partnership=partnership)
    rows = [
        _row("Cases referred in the year", cases.filter(referred_in(year)).distinct().count()),
        _row("Serious Incident Notifications agreed", cases.filter(sin_notified_on__year=year).count()),
        _row("Rapid reviews held", len(_stage_cases(year, Stage.DECISION, cases))),
        _row("Practice reviews commissioned", len(_stage_cases(year, Stage.CSPR, cases))),
    ]
    return {"key": "taking_part", "title": "Taking part: cases another partnership leads", "rows": rows,
            "note": f"Joint reviews led by another partnership in which {partnership.name} took part, for example "
                    "because the child lives here. They count in the leading partnership's statistics, not in the "
                    "figures above."}


def statistics_rows(stats: dict) -> list[list]:
    """Flat rows for CSV and Excel: section, figure, value, as shown, note."""
    rows = [["Section", "Figure", "Value", "As shown", "Note"]]
    for section in stats["sections"]:
        for row in section["rows"]:
            value = row["value"]
            if isinstance(value, float):
                value = round(value, 4)
            rows.append([section["title"], row["label"], "" if value is None else value, row["display"],
                         row.get("note", "")])
    return rows
