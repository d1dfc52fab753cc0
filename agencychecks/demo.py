"""Demo agency check forms: a glossary, forms at every status on the case whose forms are in progress, and
accepted forms with a distributed pack on the cases that have moved past the panel, all Tower Hamlets'
(``context["partnership"]``); and the joint cross-border case (led by Tower Hamlets, City & Hackney taking part),
whose forms go to the police and the NHS trust that serve both partnerships and to City & Hackney's children's
social care.

Keyed on (case, agency) and on glossary terms, so loading twice changes nothing. The chronologies are invented.
"""

import datetime

from django.utils import timezone

from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_start
from rapidreview.workdays import add_working_days

from . import selectors, services
from .models import AgencyCheckForm, ChronologyEntry, ContactType, FormStatus, GlossaryTerm, Pack

GLOSSARY = [
    ("GP", "general practitioner", True), ("NHS", "National Health Service", True), ("UK", "United Kingdom", True),
    ("A&E", "accident and emergency department", False), ("MASH", "Multi-Agency Safeguarding Hub", False),
    ("CSC", "children's social care", False), ("CAMHS", "child and adolescent mental health services", False),
    ("ICPC", "initial child protection conference", False), ("CP", "child protection", False),
    ("CIN", "child in need", False), ("LADO", "local authority designated officer", False),
    ("MARAC", "multi-agency risk assessment conference", False), ("DSL", "designated safeguarding lead", False),
    ("HV", "health visitor", False), ("EHCP", "education, health and care plan", False),
    ("SEND", "special educational needs and disabilities", False), ("NFA", "no further action", False),
    ("DNA", "did not attend (for a child: was not brought)", False), ("ED", "emergency department", False),
    ("CSPR", "child safeguarding practice review", False), ("DV", "domestic abuse", False),
]

POLICE = "Metropolitan Police"
CSC = "Tower Hamlets Children's Social Care"
BARTS = "Barts Health NHS Trust"
ELFT = "East London NHS Foundation Trust"
GP = "Tower Hamlets GP Care Group"
EDUCATION = "Tower Hamlets Education Safeguarding Service"
NEIGHBOUR_CSC = "City & Hackney Children's Social Care"
CROSS_BORDER = "cross-border"
# On the cross-border case: the police lead (who serves both partnerships) has started; the others have not.
CROSS_BORDER_AGENCIES = (POLICE, ELFT, NEIGHBOUR_CSC)

CHRONOLOGY = {
    POLICE: [
        (-400, ContactType.EMERGENCY, "Officers attended the family home after a neighbour reported shouting. Both "
                                     "adults said it was a verbal argument. The child was asleep and was not seen.",
         "Response officer"),
        (-120, ContactType.REFERRAL, "A notification about domestic abuse was sent to children's social care after a "
                                    "second call-out to the address.", "Public protection officer"),
    ],
    CSC: [
        (-118, ContactType.REFERRAL, "The police notification was screened. The decision was to offer the family "
                                    "early help; the mother agreed by telephone.", "Duty social worker"),
        (-60, ContactType.HOME_VISIT, "A home visit found the flat cold and short of food. The mother said money had "
                                     "run out and was given a food bank voucher.", "Early help practitioner"),
    ],
    BARTS: [
        (-30, ContactType.EMERGENCY, "The child was brought to the emergency department with a burn to the hand. The "
                                    "explanation of a spilt drink was accepted and no safeguarding check was made.",
         "Emergency department nurse"),
        (-2, ContactType.EMERGENCY, "The child was admitted with a head injury. A strategy discussion was requested "
                                   "the same evening.", "Paediatric registrar"),
    ],
    ELFT: [
        (-200, ContactType.APPOINTMENT, "The mother was seen by the perinatal mental health team and described low "
                                       "mood since the birth.", "Perinatal mental health nurse"),
    ],
    GP: [
        (-300, ContactType.APPOINTMENT, "Routine immunisations were given. No concerns were recorded.",
         "Practice nurse"),
        (-90, ContactType.LETTER, "Two missed appointments for the child's development review were followed by a "
                                 "letter to the mother.", "Practice administrator"),
    ],
    EDUCATION: [
        (-45, ContactType.SCHOOL, "Nursery staff noticed the child was often hungry on arrival and spoke to the "
                                 "mother, who said the family was between benefit payments.", "Nursery manager"),
    ],
}

ANSWERS = {
    "involvement_summary": "Our records show contact with the child and mother over the past year, set out in the "
                           "chronology below.",
    "analysis": "The key episode was the first attendance with a burn. The explanation was accepted without "
                "checking whether other agencies knew the family, so the earlier concerns were not connected.",
    "went_well": "Staff recorded what they saw clearly and the later admission led to a prompt strategy discussion.",
    "could_be_better": "Checking with children's social care when a young child attends with an injury, and asking "
                       "about the home when a parent is struggling.",
    "prevention": "A routine check of the child protection information system at every injury attendance for a "
                  "child under five.",
    "themes_other": "Injuries in non-mobile or very young children; poverty and food insecurity",
    "themes_in_other_cases": "Yes. Missed checks at injury attendances came up in two reviews last year.",
    "good_practice": "Clear recording, and quick escalation once the second injury was seen.",
    "improvement_areas": "Professional curiosity about explanations of injuries in very young children.",
    "immediate_actions": "A briefing for all emergency department staff on injuries in children under five.",
    "agency_learning": "An explanation that seems plausible still needs checking against what other agencies know.",
}


def _lead(form):
    """The first of the form's agency's leads in the case's partnerships."""
    leads = selectors.form_leads(form)
    return leads[0][0] if leads else None


def _form(case, agency, *, actor, due_on, issued_on) -> tuple[AgencyCheckForm, bool]:
    form = AgencyCheckForm.objects.filter(case=case, agency=agency).first()
    if form:
        return form, False
    form = AgencyCheckForm.objects.create(case=case, agency=agency, due_on=due_on, issued_on=issued_on,
                                          issued_by=actor)
    clock_start(kind=ClockKind.AGENCY_FORM, subject=form, start=issued_on, due=due_on, case_id=case.pk,
                partnership=case.partnership, label=agency.name)
    return form, True


def _fill(form, lead, *, partial=False):
    today = timezone.localdate()
    form.involved = True
    form.involvement_from = today - datetime.timedelta(days=420)
    form.involvement_ongoing = True
    for name, value in ANSWERS.items():
        if partial and name not in ("involvement_summary", "analysis"):
            continue
        setattr(form, name, value)
    if not partial:
        form.author_name = lead.full_name if lead else "Safeguarding lead"
        form.author_role = lead.job_title if lead else "Safeguarding lead"
        form.manager_name = "Head of Safeguarding"
        form.manager_role = "Head of Safeguarding"
        form.manager_signed_on = today - datetime.timedelta(days=1)
    form.status = FormStatus.DRAFT
    form.last_edited_by = lead
    form.save()
    for days, kind, summary, role in CHRONOLOGY.get(form.agency.name, [(-50, ContactType.OTHER,
                                                                        "A single contact with the family.",
                                                                        "Practitioner")]):
        ChronologyEntry.objects.create(form=form, date=today + datetime.timedelta(days=days), contact_type=kind,
                                       summary=summary, practitioner_role=role)


def _submit(form, lead, manager, outcome=None, comment=""):
    services.form_submit(form=form, actor=lead)
    if outcome == FormStatus.ACCEPTED:
        services.form_accept(form=form, actor=manager, note="Clear and complete.")
    elif outcome == FormStatus.RETURNED:
        services.form_return(form=form, actor=manager, comments={"analysis": comment})


def load(context):
    for term, expansion, allowed in GLOSSARY:
        GlossaryTerm.objects.get_or_create(term=term, defaults={"expansion": expansion, "allowed": allowed})
    cases = context.get("cases") or {}
    agencies = context["agencies"]
    manager = context["users"]["manager"]
    partnership = context["partnership"]
    today = timezone.localdate()

    def working_days(day, n):
        return add_working_days(day, n, partnership=partnership)

    case = cases.get("forms_in_progress")
    if case is not None:
        issued_on = working_days(today, -3)
        due_on = working_days(issued_on, 8)
        plan = [(POLICE, FormStatus.ACCEPTED), (BARTS, FormStatus.SUBMITTED), (CSC, FormStatus.RETURNED),
                (GP, FormStatus.DRAFT), (ELFT, FormStatus.ISSUED), (EDUCATION, "overdue")]
        for name, status in plan:
            agency = agencies[name]
            overdue = status == "overdue"
            form, created = _form(case, agency, actor=manager, issued_on=working_days(today, -10) if overdue
                                  else issued_on, due_on=working_days(today, -2) if overdue else due_on)
            if not created:
                continue
            lead = _lead(form)
            if status in (FormStatus.ACCEPTED, FormStatus.SUBMITTED, FormStatus.RETURNED):
                _fill(form, lead)
                _submit(form, lead, manager, status if status != FormStatus.SUBMITTED else None,
                        comment="Please say why the earlier call-outs were not shared with the health visitor.")
            elif status == FormStatus.DRAFT:
                _fill(form, lead, partial=True)

    for key in ("out_for_signature", "disputed", "sent_to_national_panel", "cspr_in_progress"):
        case = cases.get(key)
        if case is None or Pack.objects.filter(case=case).exists():
            continue
        issued_on = (case.sin_notified_on or today - datetime.timedelta(days=30))
        for name in (POLICE, CSC, BARTS, GP):
            form, created = _form(case, agencies[name], actor=manager, issued_on=issued_on,
                                  due_on=working_days(issued_on, 6))
            if created:
                lead = _lead(form)
                _fill(form, lead)
                _submit(form, lead, manager, FormStatus.ACCEPTED)
        Pack.objects.create(case=case, distributed_by=manager)

    _cross_border(cases, agencies, manager)


def _cross_border(cases, agencies, manager) -> None:
    """Forms on the joint case, issued by Tower Hamlets' business unit through the service (so the checks that the
    agencies belong to a partnership in the case apply), the police lead's started as a draft."""
    case = cases.get(CROSS_BORDER)
    missing = [name for name in CROSS_BORDER_AGENCIES if name not in agencies]
    if case is None or missing:
        raise RuntimeError(
            "The agency checks demo needs the cross-border case (context['cases']['cross-border'], made by the "
            f"referrals demo) and the agencies {', '.join(CROSS_BORDER_AGENCIES)} (made by the core demo); missing: "
            f"{', '.join(([CROSS_BORDER] if case is None else []) + missing)}.")
    have = set(AgencyCheckForm.objects.filter(case=case).values_list("agency__name", flat=True))
    wanted = [agencies[name] for name in CROSS_BORDER_AGENCIES if name not in have]
    if not wanted:
        return
    _, latest = services.due_date_bounds(partnership=case.partnership)
    for form in services.forms_issue(case=case, agencies=wanted, due_on=latest, actor=manager):
        if form.agency.name == POLICE:
            _fill(form, _lead(form), partial=True)
