"""Demo data for the core: two neighbouring partnerships, their agencies, panels and a user for every role.

Tower Hamlets Safeguarding Children Partnership (slug ``tower-hamlets``) is the demo's main partnership: every
other app's demo data belongs to it unless it says otherwise. City & Hackney Safeguarding Children Partnership
(slug ``city-and-hackney``) is its neighbour, with its own business unit, chair, threshold decision makers, panel
and Executive, and agencies of its own. The two share the Metropolitan Police and East London NHS Foundation Trust,
whose safeguarding leads (``police.lead@demo.test``, ``elft@demo.test``) are agency leads in both.

Everything is keyed on a natural key (slug, agency name, e-mail address) so loading twice changes nothing. A
database migrated from before partnerships keeps its one partnership: it becomes Tower Hamlets.
"""

from dataclasses import dataclass

from django.db.models import Q
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
from rapidreview.accounts.signals import partnership_created

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


# The neighbouring partnership. Its own agencies come first; then the agencies it shares with Tower Hamlets.
NEIGHBOUR_AGENCIES = [
    ("City & Hackney Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE, LA),
    ("Homerton Healthcare NHS Foundation Trust", AgencyType.ACUTE_TRUST, HEALTH),
    ("Hackney Education", AgencyType.EDUCATION, LA),
]
SHARED_AGENCIES = ["Metropolitan Police", "East London NHS Foundation Trust"]
# The shared agencies' leads: agency safeguarding leads in both partnerships.
SERVE_BOTH = ["police.lead", "elft"]

# (local part of e-mail, full name, agency name, job title, roles): City & Hackney's own people.
NEIGHBOUR_PEOPLE = [
    ("ch.manager", "Ayesha Patel", "City & Hackney Children's Social Care", "CHSCP Business Manager", [
        DemoRole(Role.BUSINESS_UNIT), DemoRole(P, "CHSCP Business Manager (non-voting, policy support)")]),
    ("ch.coordinator", "Leon Harris", "City & Hackney Children's Social Care", "CHSCP Co-ordinator", [
        DemoRole(Role.BUSINESS_UNIT)]),
    ("ch.chair", "Miriam Cole", "City & Hackney Children's Social Care", "Head of Safeguarding and Learning", [
        DemoRole(Role.RR_CHAIR), DemoRole(Role.THRESHOLD, partner=LA),
        DemoRole(P, "Head of Safeguarding and Learning, Children's Social Care (Chair)", LA, True, chair=True)]),
    ("ch.nurse", "Esther Boateng", "Homerton Healthcare NHS Foundation Trust",
     "Designated Nurse for Safeguarding Children", [
         DemoRole(Role.THRESHOLD, partner=HEALTH),
         DemoRole(P, "Designated Nurse for Safeguarding, City & Hackney", HEALTH, True)]),
    ("ch.detsupt", "Paul Whitman", "Metropolitan Police", "Detective Superintendent, Central East Safeguarding", [
        DemoRole(Role.THRESHOLD, partner=POLICE),
        DemoRole(P, "Central East Safeguarding, Metropolitan Police", POLICE, True)]),
    ("ch.doctor", "Samuel Osei", "Homerton Healthcare NHS Foundation Trust", "Designated Doctor for Safeguarding", [
        DemoRole(P, "Designated Doctor for Safeguarding, City & Hackney", HEALTH, True)]),
    ("ch.csc.lead", "Tomasz Nowak", "City & Hackney Children's Social Care", "Practice Development Manager", [
        DemoRole(Role.AGENCY_LEAD)]),
    ("ch.homerton", "Bola Adewale", "Homerton Healthcare NHS Foundation Trust",
     "Named Nurse for Safeguarding Children", [DemoRole(Role.AGENCY_LEAD)]),
    ("ch.education", "Hannah Reid", "Hackney Education", "Head of Safeguarding in Education", [
        DemoRole(Role.AGENCY_LEAD)]),
    ("ch.exec.la", "Diane Lawson", "City & Hackney Children's Social Care",
     "Group Director, Children and Education", [DemoRole(Role.EXECUTIVE, partner=LA, chair=True)]),
    ("ch.exec.health", "Neil Farrow", "Homerton Healthcare NHS Foundation Trust", "Chief Nurse", [
        DemoRole(Role.EXECUTIVE, partner=HEALTH)]),
    ("ch.exec.police", "Laura Kemp", "Metropolitan Police", "Detective Chief Superintendent, Central East", [
        DemoRole(Role.EXECUTIVE, partner=POLICE)]),
    ("ch.workinggroup", "Rosa Mendes", "City & Hackney Children's Social Care",
     "Chair, Learning and Improvement Group", [DemoRole(Role.WORKING_GROUP)]),
]
# The shared leads' roles in City & Hackney.
NEIGHBOUR_ROLES_OF_SHARED_LEADS = {local: [DemoRole(Role.AGENCY_LEAD)] for local in SERVE_BOTH}


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _tower_hamlets() -> Partnership:
    """Tower Hamlets: the row that already is, else the installation's partnership from before partnerships (a
    migrated demo keeps its one partnership and everything in it), else a new one."""
    partnership = (
        Partnership.objects.filter(slug="tower-hamlets").first()
        or Partnership.objects.filter(Q(short_name="THSCP") | Q(slug="partnership")).exclude(
            slug="city-and-hackney").order_by("pk").first()
        or Partnership(slug="tower-hamlets"))
    partnership.slug = "tower-hamlets"
    partnership.name = "Tower Hamlets Safeguarding Children Partnership"
    partnership.short_name = "THSCP"
    partnership.contact_email = "THSCP@towerhamlets.gov.uk"
    partnership.local_authority_name = "London Borough of Tower Hamlets"
    partnership.postal_address = "Tower Hamlets Town Hall\n160 Whitechapel Road\nLondon\nE1 1BJ"
    partnership.save()
    return partnership


def _city_and_hackney() -> Partnership:
    partnership, created = Partnership.objects.update_or_create(slug="city-and-hackney", defaults={
        "name": "City & Hackney Safeguarding Children Partnership", "short_name": "CHSCP",
        "contact_email": "chscp@hackney.gov.uk",
        "local_authority_name": "London Borough of Hackney and the City of London Corporation",
        "postal_address": "Hackney Town Hall\nMare Street\nLondon\nE8 1EA"})
    if created:
        # As the installation's administrator would: the new partnership gets its standard themes list.
        partnership_created.send(sender=Partnership, partnership=partnership, actor=None)
    return partnership


def _agency(name, agency_type, partner) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        name=name, defaults={"type": agency_type, "statutory_partner": partner,
                             "distribution_email": f"{agency_type}.partners@{DEMO_DOMAIN}"})
    return agency


def _person(local, full_name, agency, job_title) -> User:
    user, created = User.objects.get_or_create(
        email=demo_email(local),
        defaults={"full_name": full_name, "agency": agency, "job_title": job_title, "phone": "020 7364 0000"})
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _roles(user, partnership, roles, start) -> None:
    for r in roles:
        RoleAssignment.objects.update_or_create(
            user=user, partnership=partnership, role=r.role, starts_on=start,
            defaults={"title": r.title, "statutory_partner": r.partner, "voting": r.voting, "core": r.core,
                      "is_chair": r.chair})


def load() -> dict:
    tower_hamlets = _tower_hamlets()
    city_and_hackney = _city_and_hackney()

    agencies = [_agency(*row) for row in AGENCIES]
    tower_hamlets.agencies.add(*agencies)
    neighbour_agencies = [_agency(*row) for row in NEIGHBOUR_AGENCIES]
    by_name = {a.name: a for a in agencies + neighbour_agencies}
    city_and_hackney.agencies.add(*neighbour_agencies, *(by_name[name] for name in SHARED_AGENCIES))

    start = timezone.localdate().replace(month=1, day=1)
    users = {}
    for local, full_name, agency_index, job_title, roles in PEOPLE:
        user = _person(local, full_name, agencies[agency_index], job_title)
        _roles(user, tower_hamlets, roles, start)
        users[local] = user
    neighbour_users = {}
    for local, full_name, agency_name, job_title, roles in NEIGHBOUR_PEOPLE:
        user = _person(local, full_name, by_name[agency_name], job_title)
        _roles(user, city_and_hackney, roles, start)
        neighbour_users[local.removeprefix("ch.")] = user
    neighbour_users["threshold"] = neighbour_users["nurse"]
    neighbour_users["panel"] = neighbour_users["doctor"]
    for local, roles in NEIGHBOUR_ROLES_OF_SHARED_LEADS.items():
        _roles(users[local], city_and_hackney, roles, start)
        neighbour_users[local] = users[local]
    # The installation's administrator: adds partnerships, holds no role in any, sees no case.
    installation_admin = _person("admin", "Morgan Reid", None, "Installation administrator")
    if not installation_admin.is_staff:
        installation_admin.is_staff = True
        installation_admin.save(update_fields=["is_staff"])
    return {"agencies": by_name, "agency_list": agencies, "users": users, "partnership": tower_hamlets,
            "partnerships": {"tower-hamlets": tower_hamlets, "city-and-hackney": city_and_hackney},
            "neighbour_users": neighbour_users, "neighbour_agency_list": neighbour_agencies,
            "installation_admin": installation_admin}
