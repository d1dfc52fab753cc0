"""Demo data for the core: the partnership, its agencies, the rapid review panel and a user for every role.

Everything is keyed on a natural key (agency name, e-mail address) so loading twice changes nothing.
"""

from dataclasses import dataclass

from django.utils import timezone

from rapidreview.accounts.models import (
    Agency,
    AgencyType,
    Partnership,
    Role,
    RoleAssignment,
    StatutoryPartner,
    User,
)

DEMO_PASSWORD = "rapid-review-demo"  # noqa: S105 - published on purpose; the demo refuses to run in production  # nosec B105
DEMO_DOMAIN = "demo.test"

LA = StatutoryPartner.LOCAL_AUTHORITY
HEALTH = StatutoryPartner.HEALTH
POLICE = StatutoryPartner.POLICE

AGENCIES = [
    ("Tower Hamlets Safeguarding Children Partnership", AgencyType.OTHER, ""),
    ("Tower Hamlets Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE, LA),
    ("Metropolitan Police", AgencyType.POLICE, POLICE),
    ("North East London Integrated Care Board", AgencyType.ICB, HEALTH),
    ("Barts Health NHS Trust", AgencyType.ACUTE_TRUST, HEALTH),
    ("East London NHS Foundation Trust", AgencyType.MENTAL_HEALTH_TRUST, HEALTH),
    ("Tower Hamlets GP Care Group", AgencyType.GP, HEALTH),
    ("Tower Hamlets Education Safeguarding Service", AgencyType.EDUCATION, LA),
    ("Tower Hamlets Adult Social Care", AgencyType.ADULT_SERVICES, LA),
    ("Tower Hamlets Housing Options", AgencyType.HOUSING, LA),
    ("Tower Hamlets Council for Voluntary Service", AgencyType.VOLUNTARY_SECTOR, ""),
    ("Tower Hamlets Youth Justice Service", AgencyType.YOUTH_JUSTICE, LA),
    ("Tower Hamlets Early Help", AgencyType.EARLY_HELP, LA),
    ("Mile End Green Primary School", AgencyType.EDUCATION, ""),
]


@dataclass(frozen=True)
class DemoRole:
    role: str
    title: str = ""
    partner: str = ""
    voting: bool = False
    core: bool = True
    chair: bool = False


P = Role.PANEL_MEMBER
# (local part of e-mail, full name, agency, job title, roles)
PEOPLE = [
    ("manager", "Sam Okafor", 0, "THSCP Manager", [
        DemoRole(Role.BUSINESS_UNIT), DemoRole(P, "THSCP Manager (non-voting, policy support)")]),
    ("coordinator", "Jo Ahmed", 0, "THSCP Co-ordinator", [
        DemoRole(Role.BUSINESS_UNIT), DemoRole(P, "THSCP Co-ordinator (non-voting, business support)")]),
    ("chair", "Helen Clarke", 1, "Head of Service, Quality Assurance", [
        DemoRole(Role.RR_CHAIR), DemoRole(Role.THRESHOLD, partner=LA),
        DemoRole(P, "Head of Service for Quality Assurance, Children's Social Care (Chair)", LA, True, chair=True)]),
    ("nurse", "Priya Shah", 3, "Designated Nurse for Safeguarding Children", [
        DemoRole(Role.THRESHOLD, partner=HEALTH),
        DemoRole(P, "Designated Nurse for Safeguarding, Integrated Care Board", HEALTH, True)]),
    ("detsupt", "Mark Davies", 2, "Detective Superintendent, Public Protection", [
        DemoRole(Role.THRESHOLD, partner=POLICE)]),
    ("police.panel", "Rachel Green", 2, "Detective Inspector, Public Protection Unit", [
        DemoRole(P, "Public Protection Unit, Metropolitan Police", POLICE, True)]),
    ("doctor", "Amir Hussain", 3, "Designated Doctor for Safeguarding", [
        DemoRole(P, "Designated Doctor for Safeguarding, Integrated Care Board", HEALTH, True)]),
    ("gp", "Lucy Brown", 6, "Named GP for Safeguarding", [
        DemoRole(P, "Named GP, Integrated Care Board", HEALTH, True), DemoRole(Role.AGENCY_LEAD)]),
    ("education", "Daniel Evans", 7, "Head of Education Safeguarding", [
        DemoRole(P, "Education Safeguarding Service", LA, True), DemoRole(Role.AGENCY_LEAD)]),
    ("barts", "Grace Mensah", 4, "Lead Named Nurse for Safeguarding Children", [
        DemoRole(P, "Lead Named Nurse for Safeguarding Children, Barts Health", HEALTH, True),
        DemoRole(Role.AGENCY_LEAD)]),
    ("elft", "Tom Nguyen", 5, "Named Safeguarding Professional", [
        DemoRole(P, "Named Safeguarding Professional, East London NHS Foundation Trust", HEALTH, True),
        DemoRole(Role.AGENCY_LEAD)]),
    ("police.deputy", "Joy Adebayo", 2, "Detective Inspector, Public Protection Unit", [
        DemoRole(P, "Public Protection Unit, Metropolitan Police (deputy)", POLICE, True, core=False)]),
    ("police.lead", "Aisha Begum", 2, "Detective Sergeant, Safeguarding Reviews", [DemoRole(Role.AGENCY_LEAD)]),
    ("csc.lead", "Chris Walker", 1, "Practice Improvement Lead", [DemoRole(Role.AGENCY_LEAD)]),
    # The partnership's own business unit and the ICB also answer agency check forms: each needs a lead.
    ("icb.lead", "Ruth Osei", 3, "Named Nurse for Safeguarding Children, ICB", [DemoRole(Role.AGENCY_LEAD)]),
    ("thscp.lead", "Imran Malik", 0, "THSCP Learning and Development Officer", [DemoRole(Role.AGENCY_LEAD)]),
    ("adults", "Fatima Rahman", 8, "Safeguarding Adults Lead", [
        DemoRole(P, "Adults Services", LA, True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("housing", "Kevin O'Neill", 9, "Housing Safeguarding Lead", [
        DemoRole(P, "Housing", LA, True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("voluntary", "Maria Silva", 10, "Safeguarding Lead", [
        DemoRole(P, "Voluntary Sector", "", True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("youthjustice", "Ben Adeyemi", 11, "Service Manager", [
        DemoRole(P, "Youth Offending Services", LA, True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("earlyhelp", "Sophie Turner", 12, "Early Help Manager", [
        DemoRole(P, "Early Help", LA, True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("school", "Nadia Hassan", 13, "Designated Safeguarding Lead", [
        DemoRole(P, "School/education provision", "", True, core=False), DemoRole(Role.AGENCY_LEAD)]),
    ("exec.la", "Karen Whitfield", 1, "Corporate Director, Children's Services", [
        DemoRole(Role.EXECUTIVE, partner=LA, chair=True)]),
    ("exec.health", "Dr Olu Bakare", 3, "Chief Nursing Officer", [DemoRole(Role.EXECUTIVE, partner=HEALTH)]),
    ("exec.police", "James Fletcher", 2, "Detective Chief Superintendent, Central East", [
        DemoRole(Role.EXECUTIVE, partner=POLICE)]),
    ("workinggroup", "Ruth Campbell", 1, "Chair, Rapid Review Working Group", [DemoRole(Role.WORKING_GROUP)]),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def load() -> dict:
    partnership = Partnership.load()
    if partnership.short_name != "THSCP":
        partnership.name = "Tower Hamlets Safeguarding Children Partnership"
        partnership.short_name = "THSCP"
        partnership.contact_email = "THSCP@towerhamlets.gov.uk"
        partnership.local_authority_name = "London Borough of Tower Hamlets"
        partnership.postal_address = "Tower Hamlets Town Hall\n160 Whitechapel Road\nLondon\nE1 1BJ"
        partnership.save()

    agencies = []
    for name, agency_type, partner in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=name, defaults={"type": agency_type, "statutory_partner": partner,
                                 "distribution_email": f"{agency_type}.partners@{DEMO_DOMAIN}"})
        agencies.append(agency)

    start = timezone.localdate().replace(month=1, day=1)
    users = {}
    for local, full_name, agency_index, job_title, roles in PEOPLE:
        user, created = User.objects.get_or_create(
            email=demo_email(local),
            defaults={"full_name": full_name, "agency": agencies[agency_index], "job_title": job_title,
                      "phone": "020 7364 0000"})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        for r in roles:
            RoleAssignment.objects.update_or_create(
                user=user, role=r.role, starts_on=start,
                defaults={"title": r.title, "statutory_partner": r.partner, "voting": r.voting, "core": r.core,
                          "is_chair": r.chair})
        users[local] = user
    return {"agencies": {a.name: a for a in agencies}, "agency_list": agencies, "users": users,
            "partnership": partnership}
