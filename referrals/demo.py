"""Demo cases at every stage, made through the services where they exist. Keyed on the child's name and date of
birth, so loading twice changes nothing. Later apps find the cases in ``context["cases"]`` by short name.

Every case belongs to Tower Hamlets (``context["partnership"]``), except three that show partnerships working
together (ADR 0015): ``cross-border``, led by Tower Hamlets with City & Hackney taking part, at the agency checks
stage; ``hackney``, City & Hackney's own, waiting for its threshold discussion; and ``hackney_notified``, a child who
lives in Tower Hamlets, harmed in Hackney and notified by City & Hackney two working days ago, which Tower Hamlets'
business unit sees only as the cross-partnership cluster alert on its own rapid reviews (name of the partnership,
date, whom to call).

The national routes (ADR 0025): ``sin`` is one incident with two children (Jasper and his sister); ``lac_death``, a
looked-after child's death notified to the Secretary of State and Ofsted without a rapid review; and
``care_leaver_death``, a care leaver's death, notified and closed. The themes demo starts a practitioner learning
event from the ``not_met`` case.

The children are invented; their names are fictional.
"""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet
from rapidreview.workdays import add_working_days

from .models import (
    AssuranceRequest,
    Case,
    CaseParticipation,
    CdopDiscussion,
    ChildOutcome,
    Route,
    Source,
    Stage,
    ThresholdOutcome,
)
from .services import (
    assurance_request_create,
    case_close_without_review,
    case_invite_partnership,
    case_record_sin,
    case_send_to_threshold,
    case_transition,
    cdop_discussion_record,
    incident_child_add,
    letter_default_next_steps,
    letter_save,
    letter_send,
    referral_record_threshold,
    referral_submit,
)

# key, first name, last name, date of birth, source, target stage, working days since the SIN (or since receipt)
CASES = [
    ("received", "Mabel", "Quinlivan", datetime.date(2019, 6, 14), Source.PROFESSIONAL, Stage.RECEIVED, 1),
    ("cdop_late", "Rowan", "Ashdown", datetime.date(2024, 2, 3), Source.CDOP_JAR, Stage.RECEIVED, 0),
    ("threshold", "Otis", "Ferncastle", datetime.date(2012, 9, 30), Source.PUBLIC, Stage.THRESHOLD, 2),
    ("not_met", "Ivy", "Thornbury", datetime.date(2014, 11, 8), Source.PROFESSIONAL, Stage.NOT_MET, 6),
    ("sin", "Jasper", "Wellbeck", datetime.date(2017, 3, 21), Source.PROFESSIONAL, Stage.RAPID_REVIEW, 1),
    ("panel_scheduled", "Delphine", "Marchbank", datetime.date(2010, 7, 2), Source.PROFESSIONAL,
     Stage.RAPID_REVIEW, 4),
    ("forms_in_progress", "Caspar", "Oakhurst", datetime.date(2021, 1, 19), Source.PROFESSIONAL,
     Stage.RAPID_REVIEW, 3),
    ("clustered_a", "Winifred", "Lacey-Brook", datetime.date(2008, 5, 27), Source.PROFESSIONAL,
     Stage.RAPID_REVIEW, 8),
    ("clustered_b", "Ezra", "Pennistone", datetime.date(2009, 10, 11), Source.CDOP_JAR, Stage.RAPID_REVIEW, 2),
    ("out_for_signature", "Florence", "Addingham", datetime.date(2013, 4, 16), Source.PROFESSIONAL,
     Stage.DECISION, 12),
    ("disputed", "Barnaby", "Castlemaine", datetime.date(2016, 8, 5), Source.PROFESSIONAL, Stage.DECISION, 13),
    ("sent_to_national_panel", "Clementine", "Harrowgate", datetime.date(2011, 12, 1), Source.PROFESSIONAL,
     Stage.NATIONAL_PANEL, 20),
    ("cspr_in_progress", "Alfie", "Dunmore", datetime.date(2018, 2, 24), Source.PROFESSIONAL, Stage.CSPR, 70),
    ("cspr_published", "Maisie", "Hollowell", datetime.date(2019, 6, 3), Source.PROFESSIONAL, Stage.CSPR, 330),
    ("closed", "Posy", "Wrenfield", datetime.date(2015, 9, 9), Source.PUBLIC, Stage.CLOSED, 200),
]

LATER = [Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR, Stage.CLOSED]

TOWER_HAMLETS, HACKNEY = "London Borough of Tower Hamlets", "London Borough of Hackney"
NEIGHBOUR = "city-and-hackney"
# The two cases that show partnerships together: (first name, last name, date of birth).
CROSS_BORDER = ("Zara", "Penhallow", datetime.date(2015, 1, 28))
HACKNEY_OWN = ("Idris", "Coldharbour", datetime.date(2011, 8, 17))
HACKNEY_NOTIFIED = ("Nell", "Ashworth-Vane", datetime.date(2013, 2, 9))


def _referral_data(first, last, dob, source, aware, users, agency, *, incident_la=TOWER_HAMLETS,
                   home_la=TOWER_HAMLETS, referrer="barts"):
    data = {"child_first_name": first, "child_last_name": last, "child_dob": dob, "harm": "serious_harm",
            "incident_date": aware - datetime.timedelta(days=1), "la_aware_on": aware,
            "incident_la": incident_la, "child_home_la": home_la,
            "child_sex": "unknown", "looked_after": "no", "child_protection_plan": "unknown",
            "abuse_kinds": ["neglect", "physical"],
            "description": "Admitted to hospital with injuries that were not consistent with the account given. "
                           "Siblings were staying with family.",
            "criteria_reasons": "Abuse or neglect is suspected and the child was seriously harmed.",
            "police_investigation": "yes", "inquest": "no"}
    if source == Source.PUBLIC:
        data.update(referrer_name="Carol Jessup", referrer_role="Neighbour", referrer_email="",
                    referrer_address="Flat 4, 12 Example Row\nLondon E1 0AA", entered_on_behalf=True,
                    how_received="E-mail to the business unit")
    else:
        lead = users[referrer]
        data.update(referrer_name=lead.full_name, referrer_role=lead.job_title, referrer_email=lead.email,
                    referrer_agency=agency, discussed_with_manager=True)
    if source == Source.CDOP_JAR:
        data.update(cdop_forum="cdop", harm="died", cdop_discussed_on=aware + datetime.timedelta(days=1))
    return data


def _neighbour(context: dict):
    """City & Hackney and its people, from the core demo. Missing means the core demo is older than partnerships:
    fail now rather than load a demo without its cross-border case."""
    try:
        return context["partnerships"][NEIGHBOUR], context["neighbour_users"]
    except KeyError as exc:
        raise ImproperlyConfigured(
            "The referrals demo needs the core demo's two partnerships: context['partnerships'] with "
            f"'{NEIGHBOUR}' and context['neighbour_users'] (rapidreview/demo.py, ADR 0015).") from exc


def load(context: dict) -> None:
    users, agencies = context["users"], context["agencies"]
    partnership = context["partnership"]
    neighbour, neighbour_users = _neighbour(context)
    manager, chair = users["manager"], users["chair"]
    barts = agencies.get("Barts Health NHS Trust")
    today = timezone.localdate()
    cases = context.setdefault("cases", {})

    def working_days(start, n):
        return add_working_days(start, n, partnership=partnership)

    for key, first, last, dob, source, target, age in CASES:
        existing = Case.objects.filter(child_first_name=first, child_last_name=last, child_dob=dob).first()
        if existing:
            cases[key] = existing
            continue
        if target in LATER:
            sin_on = working_days(today, -age)
            received = working_days(sin_on, -2)
            aware = working_days(received, -1)
        else:
            sin_on = None
            received = working_days(today, -age) if age else today
            aware = working_days(received, -1)
        if key == "cdop_late":
            aware = today - datetime.timedelta(days=12)
        data = _referral_data(first, last, dob, source, aware, users, barts)
        if key == "cdop_late":
            data["cdop_discussed_on"] = today - datetime.timedelta(days=10)
        case = referral_submit(source=source, data=data, partnership=partnership, actor=manager
                               if source != Source.PROFESSIONAL else users["barts"], received_on=received,
                               agencies=[a for a in [
                                   barts, agencies.get("Metropolitan Police"),
                                   agencies.get("Tower Hamlets Children's Social Care")] if a])
        cases[key] = case
        if target == Stage.RECEIVED:
            continue
        case_send_to_threshold(case=case, actor=manager)
        if target == Stage.THRESHOLD:
            continue
        discussed = min(working_days(received, 1), today)
        outcome = ThresholdOutcome.NOT_MET if target == Stage.NOT_MET else ThresholdOutcome.MET
        referral_record_threshold(
            case=case, actor=chair, discussed_on=discussed, la_participant=chair,
            health_participant=users["nurse"], police_participant=users["detsupt"], outcome=outcome,
            rationale="The three partners agreed on the information available at the time of the discussion.")
        if target == Stage.NOT_MET:
            letter_save(case=case, actor=manager, next_steps=letter_default_next_steps(case))
            continue
        case_record_sin(case=case, actor=manager, notified_on=sin_on,
                        notification_reference=f"SIN-{sin_on:%Y%m%d}-{last[:3].upper()}")
        _advance(case, target, manager)
    _cdop_and_assurance(cases, users, agencies, today, partnership)
    _past_retention(users, barts, partnership)
    cases["cross-border"] = _cross_border(context, neighbour, today)
    cases["hackney"] = _hackney(context, neighbour, neighbour_users, today)
    cases["hackney_notified"] = _hackney_notified(context, neighbour, neighbour_users, today)
    _second_child(cases["sin"], manager)
    cases["lac_death"] = _notified_death(context, LAC_DEATH, today)
    cases["care_leaver_death"] = _notified_death(context, CARE_LEAVER_DEATH, today)


def _second_child(case: Case, actor) -> None:
    """One incident, two children: Jasper's younger sister was hurt in the same incident (ADR 0025)."""
    if case.children_count == 1:
        incident_child_add(case=case, actor=actor, first_name="Hattie", last_name="Wellbeck",
                           dob=datetime.date(2020, 8, 4), sex="female", relationship="Sister",
                           outcome=ChildOutcome.SERIOUS_HARM, looked_after="no", child_protection_plan="no")


def _notified_death(context: dict, spec: dict, today) -> Case:
    """A death notified to the Secretary of State and Ofsted only, with no rapid review: a looked-after child's
    (abuse or neglect not suspected), left for the business unit to close or start a learning route; and a care
    leaver's, closed."""
    users, partnership = context["users"], context["partnership"]
    manager, chair = users["manager"], users["chair"]
    first, last, dob = spec["child"]
    case = Case.objects.filter(child_first_name=first, child_last_name=last, child_dob=dob).first()
    if case is not None:
        return case
    received = add_working_days(today, -spec["days"], partnership=partnership)
    aware = add_working_days(received, -1, partnership=partnership)
    data = _referral_data(first, last, dob, Source.PROFESSIONAL, aware, users,
                          context["agencies"].get("Barts Health NHS Trust"))
    data.update(harm="died", looked_after=spec["looked_after"], abuse_kinds=[], description=spec["description"],
                criteria_reasons=spec["criteria"])
    case = referral_submit(source=Source.PROFESSIONAL, data=data, partnership=partnership, actor=users["barts"],
                           received_on=received)
    case_send_to_threshold(case=case, actor=manager)
    referral_record_threshold(
        case=case, actor=chair, discussed_on=min(add_working_days(received, 1, partnership=partnership), today),
        la_participant=chair, health_participant=users["nurse"], police_participant=users["detsupt"],
        route=spec["route"], abuse_or_neglect="no", outcome=ThresholdOutcome.NOTIFY_ONLY, rationale=spec["why"])
    notified = min(add_working_days(received, 3, partnership=partnership), today)
    case_record_sin(case=case, actor=manager, notified_on=notified, ofsted_notified="yes",
                    secretary_of_state_notified="yes", notification_reference=f"DFE-{notified:%Y%m%d}-{last[:3]}")
    if spec["close"]:
        case_close_without_review(case=case, actor=manager, note="Notified and recorded; no rapid review.")
    return case


LAC_DEATH = {
    "child": ("Sorrel", "Pembridge", datetime.date(2011, 5, 12)), "route": Route.LAC_DEATH, "looked_after": "yes",
    "days": 6, "close": False,
    "description": "Died in hospital after a long illness, in the care of foster carers who had looked after them "
                   "for four years.",
    "criteria": "A looked-after child died: notified whatever the cause.",
    "why": "An expected death from a known condition. No abuse or neglect is known or suspected: notify the "
           "Secretary of State and Ofsted; no rapid review.",
}
CARE_LEAVER_DEATH = {
    "child": ("Tobias", "Kettleridge", datetime.date(2004, 10, 2)), "route": Route.CARE_LEAVER_DEATH,
    "looked_after": "no", "days": 25, "close": True,
    "description": "A care leaver aged 22 died in supported accommodation; the coroner has opened an inquest.",
    "criteria": "The death of a care leaver under 25 is notified.",
    "why": "A care leaver aged 22: notified to the Secretary of State and Ofsted and recorded. No rapid review.",
}


def _cross_border(context: dict, neighbour, today) -> Case:
    """Led by Tower Hamlets, where the child was hurt; City & Hackney, where the child lives, takes part. At the
    agency checks stage: the agencychecks demo sends forms to the shared police and NHS trust and to City & Hackney
    Children's Social Care."""
    users, agencies, partnership = context["users"], context["agencies"], context["partnership"]
    manager, chair = users["manager"], users["chair"]
    first, last, dob = CROSS_BORDER
    case = Case.objects.filter(child_first_name=first, child_last_name=last, child_dob=dob).first()
    if case is None:
        sin_on = add_working_days(today, -2, partnership=partnership)
        received = add_working_days(sin_on, -2, partnership=partnership)
        aware = add_working_days(received, -1, partnership=partnership)
        data = _referral_data(first, last, dob, Source.PROFESSIONAL, aware, users, None, home_la=HACKNEY,
                              referrer="elft")
        data.update(referrer_agency=agencies.get("East London NHS Foundation Trust"),
                    description="Brought to hospital in Whitechapel after a fall at a relative's flat in Tower "
                                "Hamlets; the injuries did not match the account. The family lives in Hackney.")
        involved = [agencies.get(name) for name in ("Metropolitan Police", "East London NHS Foundation Trust",
                                                    "Barts Health NHS Trust", "City & Hackney Children's Social Care")]
        case = referral_submit(source=Source.PROFESSIONAL, data=data, partnership=partnership, actor=users["elft"],
                               received_on=received, agencies=[a for a in involved if a])
        case_send_to_threshold(case=case, actor=manager)
        referral_record_threshold(
            case=case, actor=chair, discussed_on=min(add_working_days(received, 1, partnership=partnership), today),
            la_participant=chair, health_participant=users["nurse"], police_participant=users["detsupt"],
            outcome=ThresholdOutcome.MET,
            rationale="Serious harm with suspected abuse; the child is known to services in Hackney.")
        case_record_sin(case=case, actor=manager, notified_on=sin_on,
                        notification_reference=f"SIN-{sin_on:%Y%m%d}-{last[:3].upper()}")
    if not CaseParticipation.objects.filter(case=case, partnership=neighbour).exists():
        case_invite_partnership(case=case, actor=manager, partnership=neighbour,
                                reason="The child lives in Hackney and is known to City & Hackney Children's "
                                       "Social Care; Working Together 2023 asks the two partnerships to work "
                                       "together.")
    return case


def _hackney_police_referral(context: dict, neighbour, child, *, received, home_la, description) -> Case:
    """A referral the shared Metropolitan Police lead makes to City & Hackney about ``child`` (first name, last
    name, date of birth), hurt in Hackney; or the case already made for that child."""
    users, agencies = context["users"], context["agencies"]
    first, last, dob = child
    case = Case.objects.filter(child_first_name=first, child_last_name=last, child_dob=dob).first()
    if case is not None:
        return case
    police = agencies.get("Metropolitan Police")
    aware = add_working_days(received, -1, partnership=neighbour)
    data = _referral_data(first, last, dob, Source.PROFESSIONAL, aware, users, None, incident_la=HACKNEY,
                          home_la=home_la, referrer="police.lead")
    data.update(referrer_agency=police, description=description)
    return referral_submit(source=Source.PROFESSIONAL, data=data, partnership=neighbour, actor=users["police.lead"],
                           received_on=received, agencies=[a for a in [police] if a])


def _hackney(context: dict, neighbour, neighbour_users: dict, today) -> Case:
    """City & Hackney's own case, sent for its threshold discussion: none of Tower Hamlets' people see it."""
    case = _hackney_police_referral(
        context, neighbour, HACKNEY_OWN, received=add_working_days(today, -1, partnership=neighbour),
        home_la=HACKNEY, description="Found with serious injuries at home in Hackney; a parent has been arrested.")
    if case.stage == Stage.RECEIVED:
        case_send_to_threshold(case=case, actor=neighbour_users["manager"])
    return case


def _hackney_notified(context: dict, neighbour, neighbour_users: dict, today) -> Case:
    """City & Hackney's rapid review of a child who lives in Tower Hamlets and was hurt in Hackney, notified two
    working days ago. Tower Hamlets' own rapid reviews notified within ten working days show it in their cluster
    alert, without its reference or the child (issue 18 §5)."""
    sin_on = add_working_days(today, -2, partnership=neighbour)
    received = add_working_days(sin_on, -2, partnership=neighbour)
    case = _hackney_police_referral(
        context, neighbour, HACKNEY_NOTIFIED, received=received, home_la=TOWER_HAMLETS,
        description="Seriously injured at a relative's home in Hackney; the child lives with a parent in Tower "
                    "Hamlets.")
    if case.stage != Stage.RECEIVED:
        return case
    people = neighbour_users
    case_send_to_threshold(case=case, actor=people["manager"])
    referral_record_threshold(
        case=case, actor=people["chair"], discussed_on=add_working_days(received, 1, partnership=neighbour),
        la_participant=people["chair"], health_participant=people["nurse"], police_participant=people["detsupt"],
        outcome=ThresholdOutcome.MET, rationale="Serious harm with suspected abuse.")
    case_record_sin(case=case, actor=people["manager"], notified_on=sin_on,
                    notification_reference=f"SIN-{sin_on:%Y%m%d}-ASH")
    return case


def _past_retention(users, barts, partnership) -> None:
    """A "not met" case closed in 2018, past its six-year retention period: the retention page has one to review."""
    first, last, dob = "Hector", "Brambleby", datetime.date(2009, 3, 3)
    if Case.objects.filter(partnership=partnership, reference__contains="-2018-").exists():  # kept once anonymised
        return
    manager, chair = users["manager"], users["chair"]
    received = datetime.date(2018, 5, 8)
    data = _referral_data(first, last, dob, Source.PROFESSIONAL, received - datetime.timedelta(days=1), users, barts)
    case = referral_submit(source=Source.PROFESSIONAL, data=data, partnership=partnership, actor=users["barts"],
                           received_on=received)
    case_send_to_threshold(case=case, actor=manager)
    referral_record_threshold(case=case, actor=chair, discussed_on=received + datetime.timedelta(days=2),
                              la_participant=chair, health_participant=users["nurse"],
                              police_participant=users["detsupt"], outcome=ThresholdOutcome.NOT_MET,
                              rationale="An accidental injury, witnessed and promptly treated.")
    letter_save(case=case, actor=manager, next_steps=letter_default_next_steps(case))
    letter_send(case=case, actor=manager)
    case_close_without_review(case=case, actor=manager)
    # Closed in 2018 as far as retention is concerned (the demo is loaded today).
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.make_aware(datetime.datetime(2018, 6, 1, 12)))


def _cdop_and_assurance(cases, users, agencies, today, partnership) -> None:
    """Two CDOP/JAR discussions waiting for a referral (one past its week) and an assurance request to answer."""
    manager = users["manager"]
    for reference, forum, days_ago in (("CDOP 2026/031", "cdop", 3), ("JAR 2026/112", "jar", 10)):
        if not CdopDiscussion.objects.filter(partnership=partnership, forum_reference=reference).exists():
            cdop_discussion_record(forum=forum, discussed_on=today - datetime.timedelta(days=days_ago),
                                   forum_reference=reference, actor=manager, partnership=partnership)
    not_met, police = cases.get("not_met"), agencies.get("Metropolitan Police")
    if not_met and police and not AssuranceRequest.objects.filter(case=not_met).exists():
        assurance_request_create(case=not_met, actor=users["chair"], agency=police,
                                 due_on=add_working_days(today, 8, partnership=partnership),
                                 request="Please tell us how the missed strategy discussion on this case was "
                                         "followed up, and what your safeguarding team has done since.")


def _advance(case: Case, target: str, actor) -> None:
    """Move a notified case on to the stage a later app's demo expects, recording each move."""
    path = [(Stage.DECISION, (Stage.RAPID_REVIEW,), "Panel met; decision sheet being drafted"),
            (Stage.NATIONAL_PANEL, (Stage.DECISION,), "Signed decision sent to the National Panel"),
            (Stage.CSPR, (Stage.NATIONAL_PANEL,), "Child safeguarding practice review commissioned"),
            (Stage.CLOSED, (Stage.NATIONAL_PANEL, Stage.CSPR), "Case closed")]
    if target == Stage.RAPID_REVIEW:
        return
    for to_stage, allowed, summary in path:
        if to_stage == Stage.CSPR and target == Stage.CLOSED:
            continue
        if to_stage == Stage.DECISION:
            clock_meet(subject=case, kind=ClockKind.PANEL_MEETING)
        if to_stage == Stage.NATIONAL_PANEL:
            clock_meet(subject=case, kind=ClockKind.NATIONAL_PANEL)
        if to_stage == Stage.CLOSED:
            clock_cancel(subject=case)
        case_transition(case=case, to_stage=to_stage, allowed_from=allowed, actor=actor, summary=summary)
        if to_stage == target:
            return
