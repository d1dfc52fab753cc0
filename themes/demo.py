"""Demo themes, learning and the history that makes recurrence, the statistics and benchmarking show something.

Runs after ``referrals``. Everything belongs to Tower Hamlets (``context["partnership"]``), except a short history
of City & Hackney's own (``context["partnerships"]["city-and-hackney"]``), so that its statistics have figures and
benchmarking compares two partnerships. Both share their figures; with only one other partnership sharing, the
benchmarking page explains why it shows no spread (``themes.benchmarking.MIN_OTHERS``).

Adds closed historical cases (invented children, references ``RR-YYYY-Hnnn`` and ``…-Cnnn``) spread over the last
two and a half years, with their threshold decisions, stage changes, clocks and referral details back-dated, so
that the themes report, recurrence and the annual statistics have real numbers. Keyed on natural keys (case
reference, theme name, learning kind and title), so loading twice changes nothing.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from rapidreview.workdays import add_working_days
from referrals.models import Case, CaseEvent, Harm, Referral, Source, Stage, ThresholdDecision, ThresholdOutcome

from .learning import learning_bulletin_send, learning_create, learning_follow_up_done
from .models import CaseTheme, LearningItem, LearningKind, Theme, ThemeLog
from .services import case_log_themes, themes_seed

SIN, RR = ThemeLog.SIN, ThemeLog.RAPID_REVIEW
NEIGHBOUR = "city-and-hackney"

# reference suffix, first, last, dob, harm, sex, abuse kinds, months ago notified, reached CSPR, themes, agencies
HISTORY = [
    ("H001", "Aurelia", "Penhallow", datetime.date(2023, 3, 2), Harm.DIED, "female", ["neglect"], 30, False,
     ["Safe sleep and sudden unexpected death in infancy", "Parental substance misuse", "Housing"], [2, 4, 6]),
    ("H002", "Cosmo", "Redfearn", datetime.date(2022, 11, 20), Harm.SERIOUS_HARM, "male", ["physical"], 26, True,
     ["Non-accidental injury in infants", "Bruising in non-mobile babies", "Fathers and male carers"], [1, 2, 4]),
    ("H003", "Elodie", "Saxby", datetime.date(2009, 4, 11), Harm.SERIOUS_HARM, "female",
     ["sexual_exploitation", "online"], 22, False,
     ["Criminal and sexual exploitation", "Online harm", "The voice of the child"], [1, 2, 7, 11]),
    ("H004", "Thaddeus", "Vane", datetime.date(2007, 8, 30), Harm.DIED, "male", ["criminal_exploitation"], 19,
     True, ["Serious youth violence", "Criminal and sexual exploitation", "Information sharing"], [1, 2, 11, 7]),
    ("H005", "Marigold", "Esterhuizen", datetime.date(2024, 1, 5), Harm.SERIOUS_HARM, "female",
     ["physical", "neglect"], 16, False,
     ["Bruising in non-mobile babies", "Missed health appointments", "Professional curiosity"], [4, 6, 1]),
    ("H006", "Lysander", "Okonjo", datetime.date(2011, 2, 14), Harm.SERIOUS_HARM, "male", ["emotional"], 13,
     False, ["Adolescent self-harm and suicide", "Parental mental health", "Special educational needs and "
             "disability"], [5, 7, 1]),
    ("H007", "Perpetua", "Glanville", datetime.date(2024, 6, 18), Harm.DIED, "female", ["neglect"], 11, True,
     ["Safe sleep and sudden unexpected death in infancy", "Domestic abuse", "Housing", "Neglect"], [2, 3, 4, 9]),
    ("H008", "Ignatius", "Marlow", datetime.date(2016, 9, 9), Harm.SERIOUS_HARM, "male",
     ["neglect", "domestic_abuse"], 8, False, ["Domestic abuse", "Neglect", "The voice of the child",
                                               "Information sharing"], [1, 2, 7]),
    ("H009", "Seraphina", "Bowes", datetime.date(2025, 3, 30), Harm.SERIOUS_HARM, "female", ["physical"], 6, False,
     ["Non-accidental injury in infants", "Fathers and male carers", "Domestic abuse"], [1, 2, 4, 6]),
    ("H010", "Leopold", "Ashcombe", datetime.date(2013, 5, 22), Harm.SERIOUS_HARM, "male", ["neglect"], 4, False,
     ["Neglect", "Race, culture and identity", "Professional curiosity"], [1, 7, 12]),
]

# City & Hackney's own history, in the last year, for its statistics and for benchmarking (same columns).
NEIGHBOUR_HISTORY = [
    ("C001", "Ottoline", "Farquharson", datetime.date(2025, 2, 11), Harm.SERIOUS_HARM, "female", ["physical"], 10,
     False, ["Non-accidental injury in infants", "Domestic abuse", "Housing"], [0, 1, 2]),
    ("C002", "Barnaby", "Quennell", datetime.date(2010, 7, 3), Harm.SERIOUS_HARM, "male", ["criminal_exploitation"],
     7, True, ["Criminal and sexual exploitation", "Serious youth violence", "Information sharing"], [0, 1]),
    ("C003", "Wilhelmina", "Trask", datetime.date(2024, 12, 1), Harm.DIED, "female", ["neglect"], 5, False,
     ["Safe sleep and sudden unexpected death in infancy", "Neglect", "Domestic abuse"], [1, 2]),
    ("C004", "Evander", "Holloway", datetime.date(2012, 10, 9), Harm.SERIOUS_HARM, "male", ["emotional"], 2, False,
     ["Adolescent self-harm and suicide", "Domestic abuse", "The voice of the child"], [0, 2]),
]

# Themes for the referrals demo's cases (by their short name): SIN-stage ones go in the SIN log.
CASE_THEMES = {
    "threshold": (SIN, ["Neglect", "Parental mental health"]),
    "not_met": (SIN, ["Housing", "Missed health appointments"]),
    "sin": (RR, ["Domestic abuse", "Neglect", "The voice of the child"]),
    "panel_scheduled": (RR, ["Criminal and sexual exploitation", "Serious youth violence"]),
    "forms_in_progress": (RR, ["Bruising in non-mobile babies", "Non-accidental injury in infants"]),
    "clustered_a": (RR, ["Criminal and sexual exploitation", "Online harm", "Information sharing"]),
    "clustered_b": (RR, ["Criminal and sexual exploitation", "Adolescent self-harm and suicide"]),
    "out_for_signature": (RR, ["Domestic abuse", "Fathers and male carers", "Professional curiosity"]),
    "disputed": (RR, ["Safe sleep and sudden unexpected death in infancy", "Parental substance misuse"]),
    "sent_to_national_panel": (RR, ["Neglect", "Information sharing", "Special educational needs and disability"]),
    "cspr_in_progress": (RR, ["Non-accidental injury in infants", "Bruising in non-mobile babies",
                              "Fathers and male carers"]),
    "closed": (RR, ["Domestic abuse", "Housing"]),
}


def _aware(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _event(case, stage, day, summary, actor):
    event = CaseEvent.objects.create(case=case, kind="stage", to_stage=stage, summary=summary, actor=actor)
    CaseEvent.objects.filter(pk=event.pk).update(at=_aware(day))


def _met_clock(kind, subject, start, due, met_on, label=""):
    clock = clock_start(kind=kind, subject=subject, start=start, due=due, case_id=subject.pk, label=label,
                        partnership=subject.partnership)
    Clock.objects.filter(pk=clock.pk).update(state=ClockState.MET, met_at=_aware(met_on, 15), next_reminder_on=None)


def _history(*, partnership, rows, manager, agency_list) -> list[Case]:
    """``partnership``'s closed historical cases of ``rows``, made once each."""
    today = timezone.localdate()
    made = []

    def working_days(start, n):
        return add_working_days(start, n, partnership=partnership)

    for i, (suffix, first, last, dob, harm, sex, kinds, months, cspr, _themes, agency_idx) in enumerate(rows):
        sin_on = working_days(today - relativedelta(months=months), 0)
        reference = f"RR-{sin_on.year}-{suffix}"
        case = Case.objects.filter(partnership=partnership, reference__endswith=f"-{suffix}",
                                   child_first_name=first).first()
        if case:
            made.append(case)
            continue
        received = working_days(sin_on, -3)
        case = Case.objects.create(
            partnership=partnership, reference=reference, stage=Stage.CLOSED,
            source=Source.CDOP_JAR if harm == Harm.DIED else Source.PROFESSIONAL, child_first_name=first,
            child_last_name=last, child_dob=dob, harm=harm,
            incident_date=received - datetime.timedelta(days=2), la_aware_on=received - datetime.timedelta(days=1),
            sin_notified_on=sin_on, closed_at=_aware(sin_on + relativedelta(months=4)),
            pseudonym=f"Child {chr(ord('A') + i)}")
        Case.objects.filter(pk=case.pk).update(created_at=_aware(received, 9))
        case.involved_agencies.set([agency_list[j] for j in agency_idx if j < len(agency_list)])
        Referral.objects.create(
            case=case, received_on=received, referrer_name="Historical referral", child_sex=sex, abuse_kinds=kinds,
            description="Historical case loaded for the demonstration (details summarised).")
        discussed = received + datetime.timedelta(days=1)
        _event(case, Stage.THRESHOLD, discussed, "Sent for threshold discussion", manager)
        ThresholdDecision.objects.create(
            case=case, discussed_on=discussed, la_participant=manager, decision_maker=manager, recorded_by=manager,
            outcome=ThresholdOutcome.MET, rationale="Historical decision (details summarised).")
        sin_due = working_days(received, partnership.sin_decision_working_days)
        _met_clock(ClockKind.SIN_DECISION, case, received, sin_due, discussed if i % 5 else working_days(sin_due, 1))
        _event(case, Stage.RAPID_REVIEW, sin_on, "Serious Incident Notification made", manager)
        panel_due = working_days(sin_on, 10)
        panel_on = panel_due if i % 3 else working_days(panel_due, 2)  # every third panel was late
        _event(case, Stage.DECISION, panel_on, "Panel met; decision sheet being drafted", manager)
        national_due = working_days(sin_on, 15)
        national_on = working_days(national_due, -1 if i % 4 else 3)
        _event(case, Stage.NATIONAL_PANEL, national_on, "Signed decision sent to the National Panel", manager)
        if cspr:
            _event(case, Stage.CSPR, national_on + datetime.timedelta(days=21),
                   "Child safeguarding practice review commissioned", manager)
        _event(case, Stage.CLOSED, sin_on + relativedelta(months=4), "Case closed", manager)
        _met_clock(ClockKind.PANEL_MEETING, case, sin_on, panel_due, panel_on)
        _met_clock(ClockKind.NATIONAL_PANEL, case, sin_on, national_due, national_on)
        form_due = working_days(sin_on, 8)
        for n, agency in enumerate(case.involved_agencies.all()):
            returned = working_days(form_due, 2 if (n + i) % 4 == 0 else -1)
            # A clock per agency form; the subject is the case because these forms predate the system.
            clock = Clock(partnership=partnership, kind=ClockKind.AGENCY_FORM, subject=case, case_id=case.pk,
                          label=agency.name,
                          started_on=sin_on, due_on=form_due, state=ClockState.MET, met_at=_aware(returned, 16),
                          reference=case.reference)
            clock.save()
        made.append(case)
    return made


def _log_history_themes(history, rows, *, partnership, manager) -> None:
    by_name = {t.name: t for t in Theme.objects.filter(partnership=partnership)}
    for case, row in zip(history, rows, strict=True):
        if not CaseTheme.objects.filter(case=case).exists():
            notified = case.sin_notified_on or timezone.localdate()
            case_log_themes(case=case, themes=[by_name[n] for n in row[9]], log=RR, actor=manager,
                            source="Rapid review panel", recorded_at=_aware(notified + datetime.timedelta(days=14)))


def load(context: dict) -> None:
    partnership = context["partnership"]
    themes_seed(partnership=partnership)
    users = context["users"]
    manager = users["manager"]
    history = _history(partnership=partnership, rows=HISTORY, manager=manager, agency_list=context["agency_list"])
    context.setdefault("history_cases", history)
    _log_history_themes(history, HISTORY, partnership=partnership, manager=manager)
    by_name = {t.name: t for t in Theme.objects.filter(partnership=partnership)}
    for key, (log, names) in CASE_THEMES.items():
        case = context.get("cases", {}).get(key)
        if case is not None and not CaseTheme.objects.filter(case=case, log=log).exists():
            case_log_themes(case=case, themes=[by_name[n] for n in names], log=log, actor=manager,
                            source="Threshold discussion" if log == SIN else "Rapid review panel")
    _learning(context)
    _neighbour(context)
    # Both demo partnerships share their figures, so the benchmarking page shows them beside each other's
    # (its spread of the others is suppressed until themes.benchmarking.MIN_OTHERS share, which it explains).
    for shared in {partnership, context.get("partnerships", {}).get(NEIGHBOUR)} - {None}:
        if not shared.shares_benchmarks:
            shared.shares_benchmarks = True
            shared.save(update_fields=["shares_benchmarks", "updated_at"])


def _neighbour(context) -> None:
    """City & Hackney's standard themes list and a short history of its own, so its statistics have figures."""
    neighbour = context.get("partnerships", {}).get(NEIGHBOUR)
    if neighbour is None:
        return
    themes_seed(partnership=neighbour)
    manager = context.get("neighbour_users", {}).get("manager") or context["users"]["manager"]
    agency_list = list(neighbour.agencies.order_by("name")) or context["agency_list"]
    history = _history(partnership=neighbour, rows=NEIGHBOUR_HISTORY, manager=manager, agency_list=agency_list)
    context.setdefault("neighbour_history_cases", history)
    _log_history_themes(history, NEIGHBOUR_HISTORY, partnership=neighbour, manager=manager)


def _learning_route(context, item) -> None:
    """The ``not_met`` case went to a practitioner learning event instead of a review (ADR 0025)."""
    case = context.get("cases", {}).get("not_met")
    if case is None or case.stage != Stage.NOT_MET:
        return
    today = timezone.localdate()
    item(LearningKind.PRACTITIONER_EVENT, f"Practitioner learning event: {case.reference}", case=case,
         owner=context["users"]["chair"], date=today + datetime.timedelta(days=9),
         audience="Practitioners from health, police and children's social care who worked with the family",
         follow_up="Report what was learnt to the Rapid Review Working Group.",
         follow_up_on=today + datetime.timedelta(days=30))


def _learning(context) -> None:
    manager, partnership = context["users"]["manager"], context["partnership"]
    today = timezone.localdate()
    year = today.year if today.month < 11 or (today.month == 11 and today.day <= 25) else today.year + 1
    nov = datetime.date(year, 11, 18)
    last_nov = datetime.date(year - 1, 11, 19)

    def item(kind, title, **values):
        existing = LearningItem.objects.filter(partnership=partnership, kind=kind, title=title).first()
        return existing or learning_create(kind=kind, actor=manager, partnership=partnership, title=title, **values)

    item(LearningKind.CONFERENCE, f"Safeguarding Month conference {nov.year}: the rapid review process and case "
         "themes", date=nov, audience="All partner agencies' practitioners and managers",
         follow_up="Circulate slides, survey attendees, and report themes raised to the Working Group.",
         follow_up_on=nov + datetime.timedelta(days=21), materials_url="https://example.org/thscp/conference")
    past = item(LearningKind.CONFERENCE, f"Safeguarding Month conference {last_nov.year}", date=last_nov,
                audience="All partner agencies", attendance=146, follow_up="Slides and survey sent.",
                follow_up_on=last_nov + datetime.timedelta(days=14),
                materials_url="https://example.org/thscp/conference-last-year")
    if not past.follow_up_done_on:
        learning_follow_up_done(item=past, actor=manager, on=last_nov + datetime.timedelta(days=12))
    item(LearningKind.AGENCY_VISIT, "Presentation to the GP safeguarding forum: bruising in non-mobile babies",
         date=today + datetime.timedelta(days=12), audience="GP safeguarding leads",
         follow_up="Check uptake of the bruising protocol audit.", follow_up_on=today + datetime.timedelta(days=40))
    item(LearningKind.AGENCY_VISIT, "Visit to the Youth Justice Service: exploitation themes",
         date=today - datetime.timedelta(days=45), audience="Youth justice practitioners", attendance=23)
    item(LearningKind.CSPR_WORKSHOP, "Learning workshop: Child B practice review",
         date=today - datetime.timedelta(days=80), audience="Practitioners involved and their managers",
         attendance=31, follow_up="Agencies to confirm actions in the action plan.",
         follow_up_on=today - datetime.timedelta(days=3))
    item(LearningKind.IMPLEMENTATION_REVIEW, "One-year implementation review: Child D practice review",
         date=today + datetime.timedelta(days=60), audience="Rapid Review Working Group and agency leads")
    sent = item(LearningKind.BULLETIN, "Learning bulletin: safe sleep and bruising in babies",
                date=today - datetime.timedelta(days=20), audience="All partner agencies",
                body="Two recent rapid reviews found that safe sleep advice was given once and not repeated when "
                     "a family's circumstances changed.\n\nWhat to do:\n- Repeat safe sleep advice at every "
                     "contact, especially when the family moves or a new adult joins the household.\n"
                     "- Any bruise on a baby who is not yet mobile needs a referral under the bruising "
                     "protocol.\n- Ask about fathers and male carers and record who lives in the home.")
    if not sent.is_sent:
        learning_bulletin_send(item=sent, actor=manager)
    _learning_route(context, item)
    item(LearningKind.BULLETIN, "Learning bulletin: exploitation and online harm (draft)",
         date=today + datetime.timedelta(days=14), audience="All partner agencies",
         body="Draft. Themes from recent rapid reviews about criminal and sexual exploitation and online harm.")
