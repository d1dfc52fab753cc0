"""Panels, voters and sheets for the decisions tests (their case is a RapidReviewCaseFactory), built through the
models and the decisions services."""

from panels.models import Attendance, ConflictOfInterest, Panel, PanelInvitation, PanelState
from rapidreview.accounts.models import Role, StatutoryPartner
from rapidreview.accounts.selectors import executive_chair
from referrals.models import Case
from tests.factories import AgencyFactory, default_partnership, make_executive, make_user

LA, HEALTH, POLICE = StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE

FULL_SHEET = {
    "case_summary": "Summary of the incident and the family.",
    "agency_involvement": "Health visiting and school contact; key practice episode in January.",
    "analysis": "Language barriers and the mother's disability shaped how services engaged.",
    "immediate_actions": "Health visiting reviewed its escalation policy.",
    "learning": "Professional curiosity about fathers.",
    "criteria_met": "yes", "criteria_reasons": "Serious harm and concerns about how agencies worked together.",
    "national_issues": "no", "national_issues_detail": "",
    "recommendation": "cspr", "rationale": "Multi-agency learning of wider importance.",
    "child_in_need": "yes", "significant_adults": "The father lives elsewhere and has contact at weekends.",
    "siblings_safety": "Both siblings were seen the next day; strategy discussion held for each.",
    "reg11_a": "yes", "reg11_a_reason": "Escalation between health and social care needs improving.",
    "reg11_b": "yes", "reg11_b_reason": "Invisible fathers is a recurrent theme.",
    "reg11_c": "yes", "reg11_c_reason": "Information was not shared between police and health.",
    "reg11_d": "no", "reg11_d_reason": "",
    "reg3_a": "yes", "reg3_a_reason": "Escalation learning may apply elsewhere.",
    "reg3_b": "no", "reg3_b_reason": "",
    "reg3_c": "no", "reg3_c_reason": "",
    "cspr_methodology": "systems", "cspr_scope": "The twelve months before the incident.",
    "cspr_reviewer": "An independent reviewer from the partnership's framework",
    "cspr_timescale": "Final report within 6 months",
    "parallel_processes": "Criminal proceedings against the mother's partner.",
    "family_involvement": "The mother has been told about the review and will meet the reviewer.",
}


def make_voter(panel: Panel, partner: str, *, voting=True, attendance=Attendance.PRESENT, **fields):
    user = make_user(Role.PANEL_MEMBER, agency=AgencyFactory(statutory_partner=partner), **fields)
    PanelInvitation.objects.create(panel=panel, user=user, agency=user.agency, statutory_partner=partner,
                                   voting=voting, attendance=attendance, seat=f"{partner} seat")
    return user


def make_panel(case: Case) -> dict:
    """A held panel: a present voting member for each statutory partner, a non-voting member, a conflicted member."""
    panel = Panel.objects.create(case=case, state=PanelState.HELD)
    people = {p: make_voter(panel, p, full_name=f"Voter {p}") for p in (LA, HEALTH, POLICE)}
    people["non_voting"] = make_voter(panel, "", voting=False, full_name="Non Voter")
    conflicted = make_voter(panel, HEALTH, full_name="Conflicted Voter")
    ConflictOfInterest.objects.create(case=case, user=conflicted, declared_by=conflicted, nature="Relative",
                                      implications="Cannot take part")
    people["conflicted"] = conflicted
    people["panel"] = panel
    return people


def make_executives() -> dict:
    return {LA: make_executive(LA, chair=True), HEALTH: make_executive(HEALTH), POLICE: make_executive(POLICE)}


def the_chair():
    """The chair of the Executive of the partnership the tests work in."""
    return executive_chair(partnership=default_partnership())
