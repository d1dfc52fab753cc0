"""Generate a national-scale data set for benchmarks: ten years of cases across England, in minutes.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings manage.py generate_national_data          # the national profile
    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings manage.py generate_national_data --small  # 200 cases

A development tool, not part of the application: only ``benchmarks.bench_settings`` installs the ``benchmarks``
app that offers the command, and it imports every stage app, which the core (``rapidreview``) never does.

Rows are written in batches (PostgreSQL: ``COPY``; elsewhere ``bulk_create``) and everything is deterministic
for a given ``--seed`` (primary keys too).

Partnerships are real rows (issue 18), like England's: 140 of them, with about 1,000 Serious Incident Notifications
a year between them (England has about 350: the rest is headroom). Each has its own people for every role, its own
children's social care, schools, early help, housing, adult services, youth justice, GP practices and voluntary
sector, and shares the rest as England does: a police force covers about four partnerships, an integrated care board
three, a mental health trust four and an acute trust two, so their safeguarding leads hold the agency lead role in
each partnership they serve. The first partnership (``MEASURED``) is the one the benchmark signs in to: it holds
``own`` cases in every profile (the newest case at every open stage among them), so its pages show the same rows at
national scale as on the small data set, and only the rest of the country around it grows. About one case in twenty
is a joint review, a neighbouring partnership taking part.

The shape follows the process: most cases of past years are closed; recent ones sit at every stage; about half of
the referrals meet the threshold for a Serious Incident Notification and a fifth of those lead to a practice
review; agencies come from the case's own partnership; practice themes (each partnership's own list) recur with a
skewed distribution; agency check forms carry chronologies; panels have the odd declared conflict of interest;
actions have progress updates; actions and clocks follow the stage and the dates; each partnership has its working
group meetings, learning, closure days, outbox and access log. ``bulk_create`` and ``COPY`` skip simple-history, so
the change history a person would have left is written alongside: each case created and moved stage by stage, its
referral created, each agency form issued, drafted, submitted, sent back and accepted as far as it got.

Run it on an empty, migrated database (``benchmarks/run.py`` makes one); it refuses a database that already holds
cases, and refuses to run with production settings, unless ``--force`` is given: its accounts share one password.
"""

import datetime
import io
import json
import random
import time
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from actionplan.models import OPEN_STATUSES as OPEN_ACTION_STATUSES
from actionplan.models import Action, ActionEvidence, ActionSource, ActionStatus, ActionUpdate, WorkingGroupMeeting
from agencychecks.models import AgencyCheckForm, ChronologyEntry, FormStatus, Pack
from decisions.models import (
    Cspr,
    DecisionSheet,
    DecisionSheetVersion,
    Dispute,
    DisputeStatus,
    MeetingRecord,
    Methodology,
    NationalPanelResponse,
    NationalPanelSubmission,
    Recommendation,
    SheetStatus,
    Signature,
    SignatureOutcome,
    Vote,
    VoteChoice,
    YesNo,
)
from panels.models import Attendance, ConflictOfInterest, Panel, PanelInvitation, PanelState
from rapidreview.accounts.models import Agency, AgencyType, Partnership, Role, RoleAssignment, StatutoryPartner, User
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.clocks.ladders import ladder_for, step_date
from rapidreview.clocks.models import Clock, ClockKind, ClockState, NonWorkingDay
from rapidreview.notifications.models import Notification, NotificationStatus
from referrals.models import (
    Case,
    CaseEvent,
    CaseParticipation,
    Harm,
    HouseholdMember,
    ReferenceCounter,
    Referral,
    SinNotification,
    Source,
    Stage,
    ThresholdDecision,
    ThresholdOutcome,
)
from referrals.services.intake import reference_prefixes
from themes.models import CaseTheme, LearningItem, LearningKind, Theme, ThemeLog

# England has about 350 notifications a year over 140 partnerships (issue 18). Half the referrals meet the
# threshold, so ten years of England are about 7,000 cases; the national profile holds 20,000 (about 1,000
# notifications a year), three times as many, for headroom. ``--cases 7000 --forms 52500 --actions 70000
# --clocks 105000`` is England as it is. Forms, actions and clocks per case are the same in both profiles, and so
# is ``own``: the cases of the partnership the benchmark measures. The small profile has four partnerships so that
# the police force of the measured one serves four in both profiles, as nationally: a page that shows each of a
# person's partnerships ("What needs me") then differs between the profiles only by the data around it.
NATIONAL = {"cases": 20_000, "years": 10, "partnerships": 140, "own": 180, "forms": 150_000, "chronology": 3.0,
            "actions": 200_000, "clocks": 300_000}
SMALL = {"cases": 200, "years": 10, "partnerships": 4, "own": 180, "forms": 1_500, "chronology": 3.0,
         "actions": 2_000, "clocks": 3_000}
MEASURED = "northshire"  # the slug of the partnership the benchmark signs in to: the first

# One partnership's agencies: the kinds a rapid review usually asks for a form, most often first. The shared ones
# serve several neighbouring partnerships: (kind, name, statutory partner, how many partnerships one serves, offset of
# its groups), so that a police force and a mental health trust do not cover the same partnerships.
PARTNERSHIP_AGENCIES = [
    (AgencyType.CHILDRENS_SOCIAL_CARE, "Children's Social Care", StatutoryPartner.LOCAL_AUTHORITY, 1, 0),
    (AgencyType.POLICE, "Police", StatutoryPartner.POLICE, 4, 0),
    (AgencyType.ICB, "Integrated Care Board", StatutoryPartner.HEALTH, 3, 1),
    (AgencyType.ACUTE_TRUST, "Hospitals NHS Trust", StatutoryPartner.HEALTH, 2, 0),
    (AgencyType.GP, "GP Practices", StatutoryPartner.HEALTH, 1, 0),
    (AgencyType.EDUCATION, "Education", StatutoryPartner.LOCAL_AUTHORITY, 1, 0),
    (AgencyType.MENTAL_HEALTH_TRUST, "Mental Health NHS Trust", StatutoryPartner.HEALTH, 4, 2),
    (AgencyType.EARLY_HELP, "Early Help", StatutoryPartner.LOCAL_AUTHORITY, 1, 0),
    (AgencyType.HOUSING, "Housing", "", 1, 0),
    (AgencyType.ADULT_SERVICES, "Adult Social Care", StatutoryPartner.LOCAL_AUTHORITY, 1, 0),
    (AgencyType.YOUTH_JUSTICE, "Youth Justice Service", StatutoryPartner.LOCAL_AUTHORITY, 1, 0),
    (AgencyType.VOLUNTARY_SECTOR, "Family Support Charity", "", 1, 0),
]
# The people each partnership has besides its agencies' leads: (role, how many, attributes of each).
LA, HEALTH, POLICE = StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE
STAFF = [
    (Role.BUSINESS_UNIT, [{}, {}]),
    (Role.RR_CHAIR, [{}]),
    (Role.THRESHOLD, [{"statutory_partner": LA}, {"statutory_partner": HEALTH}, {"statutory_partner": POLICE}]),
    (Role.PANEL_MEMBER, [{"voting": n % 3 != 2, "core": n % 4 != 3, "title": f"Panel seat {n + 1}"}
                         for n in range(8)]),
    (Role.EXECUTIVE, [{"statutory_partner": LA}, {"statutory_partner": HEALTH, "is_chair": True},
                      {"statutory_partner": POLICE}]),
    (Role.WORKING_GROUP, [{}, {}]),
]
PLACES = ["Northshire", "Southbridge", "Eastmoor", "Westvale", "Kingsford", "Ashdown", "Brookfield", "Calderton",
          "Dunmere", "Elmstead", "Fairhaven", "Greyford", "Hollins", "Ironbridge", "Juniper", "Kestrel", "Larkhill",
          "Millbrook", "Newholm", "Oakridge", "Pendle", "Queensway", "Ravensworth", "Stonehill", "Thornbury",
          "Underwood", "Valebridge", "Whitcombe", "Yarrow", "Zennor"]
FIRST = ["Amelia", "Noah", "Olivia", "Leo", "Isla", "Oscar", "Ava", "Arthur", "Mia", "Muhammad", "Freya", "George",
         "Lily", "Harry", "Sophia", "Jack", "Grace", "Theo", "Ella", "Finley", "Aisha", "Kai", "Zara", "Ethan"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Clarke", "Lewis",
        "Begum", "Hughes", "Ali", "Edwards", "Hussain", "Wood", "Turner"]
SENTENCES = [
    "The family was known to several agencies over the preceding two years.",
    "Information about the risk posed by an adult in the household was not shared between agencies.",
    "Health visitors recorded missed appointments but did not escalate their concerns.",
    "The school raised concerns about attendance and the child's presentation on several occasions.",
    "A strategy discussion was held but the police were not present.",
    "Practitioners did not explore who else was living in the home.",
    "The child's voice is not evident in the assessments completed at the time.",
    "Parental mental health and substance misuse were known but were considered separately.",
    "Professional curiosity about injuries to a non-mobile baby was limited.",
    "The referral to children's social care did not meet the threshold for a statutory assessment.",
    "Good practice was seen in the quick response of the emergency department.",
    "Domestic abuse notifications were received but no multi-agency risk assessment conference took place.",
    "Agencies relied on the mother's account without checking it with others.",
    "The case was closed to early help shortly before the incident.",
]
POINTS = ["North", "South", "East", "West", "Upper", "Lower", "Great", "Little"]
CONTACTS = ["home_visit", "appointment", "telephone", "school", "referral", "meeting", "strategy", "assessment",
            "emergency", "letter", "other"]


def place(n: int) -> str:
    """The n-th partnership's place name: unique however many partnerships there are."""
    name = PLACES[n % len(PLACES)]
    round_ = n // len(PLACES)
    if round_:
        name = f"{POINTS[(round_ - 1) % len(POINTS)]} {name}"
        if round_ > len(POINTS):
            name += f" {round_}"
    return name


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


@contextmanager
def stored_dates(*models):
    """Let bulk_create keep the created_at/updated_at we set (auto_now fields overwrite them otherwise)."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def historical(obj, *, when: datetime.datetime, kind: str, user, **changed):
    """The change-history row simple-history would have written for ``obj`` (with ``changed`` applied) at ``when``:
    ``kind`` is "+" (created) or "~" (changed); ``user`` made the change (None: the system)."""
    history = type(obj).history.model
    values = {f.attname: changed.get(f.attname, getattr(obj, f.attname, None))
              for f in history._meta.concrete_fields if not f.name.startswith("history_")}
    return history(**values, history_date=when, history_type=kind,
                   history_user_id=getattr(user, "pk", None), history_change_reason=None)


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    elif not isinstance(value, str):
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model, rows: list, chunk: int = 50_000) -> None:
    """COPY model instances into their table. Values are taken as set (no auto_now, no signals, no history);
    an auto-increment primary key left empty is filled by the database."""
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and getattr(rows[0], f.attname) is None)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            buffer = io.StringIO()
            for row in rows[start:start + chunk]:
                buffer.write("\t".join(_copy_value(getattr(row, f.attname)) for f in fields))
                buffer.write("\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)


def stage_for(age: int, sin: bool, cspr: bool) -> str:
    """Where a case received ``age`` days ago stands today (the statutory clocks decide the spacing)."""
    if age < 3:
        return Stage.RECEIVED
    if age < 8:
        return Stage.THRESHOLD
    if not sin:
        return Stage.NOT_MET if age < 30 else Stage.CLOSED
    if age < 18:
        return Stage.RAPID_REVIEW
    if age < 25:
        return Stage.DECISION
    if age < 45:
        return Stage.NATIONAL_PANEL
    if cspr and age < 550:
        return Stage.CSPR
    return Stage.CLOSED


# The newest cases: one at every open stage whatever the size, so that both profiles have the same pages to show.
# The first is the benchmark case: a rapid review with twelve accepted agency forms.
NEWEST = [Stage.RAPID_REVIEW, Stage.RECEIVED, Stage.THRESHOLD, Stage.NOT_MET, Stage.DECISION,
          Stage.NATIONAL_PANEL, Stage.CSPR, Stage.RAPID_REVIEW, Stage.DECISION, Stage.CSPR]
SIN_STAGES = {Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR}
OPEN_STAGES = {Stage.RECEIVED, Stage.THRESHOLD, Stage.NOT_MET, Stage.RAPID_REVIEW, Stage.DECISION,
               Stage.NATIONAL_PANEL, Stage.CSPR}


class Generator:
    def __init__(self, options, out):
        self.o = options
        self.out = out
        self.rng = random.Random(options["seed"])  # noqa: S311 - repeatable test data, not security  # nosec B311
        # The change history draws on its own sequence, so that writing it leaves every other row as it was.
        self.history_rng = random.Random(options["seed"] + 1)  # noqa: S311  # nosec B311
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        self.batch = options["batch"]
        self.start_day = self.today - datetime.timedelta(days=options["years"] * 365 + 30)
        self.counters: dict[tuple[int, int], int] = {}
        self.panel_days: set[tuple[int, datetime.date]] = set()
        self.started = time.perf_counter()

    # --- helpers ---------------------------------------------------------------------------------------------
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def save(self, model, rows: list) -> None:
        """Insert ``rows``: PostgreSQL's COPY when there (several times faster), bulk_create elsewhere."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            copy_rows(model, rows)
        else:
            with stored_dates(model):
                for start in range(0, len(rows), self.batch):
                    model.objects.bulk_create(rows[start:start + self.batch], batch_size=self.batch)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)

    def log(self, message: str) -> None:
        self.out.write(f"{time.perf_counter() - self.started:6.1f}s {message}")

    def scaled(self, weights: list[float], total: int, low: int, high: int) -> list[int]:
        """Integers in [low, high] proportional to ``weights`` that add up to about ``total``."""
        factor = total / max(sum(weights), 1e-9)
        out, carry = [], 0.0
        for w in weights:
            exact = w * factor + carry
            n = max(low, min(high, int(round(exact))))
            carry = exact - n
            out.append(n)
        return out

    # --- partnerships, agencies and people --------------------------------------------------------------------
    def people(self):
        """Partnerships, their agencies (shared ones serve several), and the people of each."""
        o, rng = self.o, self.rng
        count = max(1, o["partnerships"])
        start = self.start_day
        created = at(start)
        # The partnership the migrations made (it holds the seeded themes) becomes the measured one.
        first = Partnership.objects.order_by("pk").first()
        partnerships = []
        for n in range(count):
            name = place(n)
            fields = {"name": f"{name} Safeguarding Children Partnership", "slug": slugify(name),
                      "short_name": f"{name} SCP"[:40], "local_authority_name": f"{name} Council",
                      "contact_email": f"scp@{slugify(name)}.bench.test", "shares_benchmarks": n % 3 != 2}
            if n == 0 and first is not None:
                for key, value in fields.items():
                    setattr(first, key, value)
                first.save()
                partnerships.append(first)
            else:
                partnerships.append(Partnership(**fields))
        Partnership.objects.bulk_create(partnerships[1:] if first is not None else partnerships)
        self.partnership_rows = list(Partnership.objects.filter(slug__in=[p.slug for p in partnerships])
                                     .order_by("pk"))
        by_slug = {p.slug: p for p in self.partnership_rows}
        self.partnership_rows = [by_slug[p.slug] for p in partnerships]
        # How big each partnership is beside the others (the measured one's share is ``own``, see ``cases``).
        self.sizes = [1.0] + [rng.uniform(0.3, 2.0) for _ in range(count - 1)]
        # One reference prefix per partnership, chosen as the application chooses them, never two alike.
        taken: set[str] = set()
        self.prefixes = []
        for partnership in self.partnership_rows:
            prefix = next(p for p in reference_prefixes(partnership) if p not in taken)
            taken.add(prefix)
            self.prefixes.append(prefix)

        # Agencies: one of each kind per group of neighbouring partnerships its kind serves.
        agencies, serves = [], {}  # serves: agency -> partnership indexes
        self.partnerships: list[list[Agency]] = [[] for _ in range(count)]
        for kind, label, partner, span, offset in PARTNERSHIP_AGENCIES:
            groups: dict[int, Agency] = {}
            for n in range(count):
                group = (n + offset) // span
                if group not in groups:
                    first_place = place(max(0, group * span - offset))
                    agency = Agency(id=self.uuid(), name=f"{first_place} {label}" + (
                        "" if span == 1 else " (shared)"), type=kind, statutory_partner=partner,
                        distribution_email=f"agency{len(agencies)}@bench.test", created_at=created,
                        updated_at=created)
                    groups[group] = agency
                    agencies.append(agency)
                    serves[agency.pk] = []
                agency = groups[group]
                serves[agency.pk].append(n)
                self.partnerships[n].append(agency)
        self.save(Agency, agencies)
        through = Partnership.agencies.through
        self.save(through, [through(partnership_id=self.partnership_rows[n].pk, agency_id=agency_id)
                            for agency_id, indexes in serves.items() for n in indexes])
        self.agencies = agencies

        password = User(email="x@bench.test")
        password.set_password(o["password"])  # hashed once: every generated account shares it
        users, roles = [], []
        has_public_id = any(f.name == "public_id" for f in User._meta.concrete_fields)

        def person(email, name, agency=None, **flags):
            user = User(email=email, full_name=name, agency=agency, password=password.password,
                        date_joined=created, is_active=True, **flags)
            if has_public_id:
                user.public_id = self.uuid()
            users.append(user)
            return user

        def role(user, n, name, **attrs):
            roles.append(RoleAssignment(id=self.uuid(), user=user, partnership_id=self.partnership_rows[n].pk,
                                        role=name, starts_on=start, created_at=created, updated_at=created, **attrs))

        admin = person("bench.admin@bench.test", "Benchmark Administrator", is_staff=True, is_superuser=True)
        role(admin, 0, Role.BUSINESS_UNIT)
        self.staff: list[dict[str, list]] = [{} for _ in range(count)]
        for n in range(count):
            slug = self.partnership_rows[n].slug
            local = self.partnerships[n]
            for name, seats in STAFF:
                for k, attrs in enumerate(seats):
                    agency = None if name in (Role.BUSINESS_UNIT, Role.RR_CHAIR) else local[k % len(local)]
                    user = person(f"{name}.{k + 1}.{slug}@bench.test", f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                                  agency=agency)
                    role(user, n, name, **attrs)
                    self.staff[n].setdefault(name, []).append(user)
        # One safeguarding lead per agency, with the agency lead role in every partnership the agency serves.
        self.lead_of: dict = {}
        for index, agency in enumerate(agencies):
            user = person(f"agency_lead.{index + 1:04d}@bench.test", f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                          agency=agency)
            self.lead_of[agency.pk] = user
            for n in serves[agency.pk]:
                role(user, n, Role.AGENCY_LEAD)
                self.staff[n].setdefault(Role.AGENCY_LEAD, []).append(user)
        self.save(User, users)
        saved = {u.email: u for u in User.objects.filter(email__endswith="@bench.test")}
        for r in roles:
            r.user = saved[r.user.email]
        self.save(RoleAssignment, roles)
        for staff in self.staff:
            for name, people in staff.items():
                staff[name] = [saved[u.email] for u in people]
        self.lead_of = {agency_id: saved[user.email] for agency_id, user in self.lead_of.items()}
        # Everyone of a role, the measured partnership's people first (the query budget tests take the first).
        self.by_role: dict[str, list[User]] = {}
        for staff in self.staff:
            for name, people in staff.items():
                self.by_role.setdefault(name, []).extend(people)
        self.by_role = {name: list(dict.fromkeys(people)) for name, people in self.by_role.items()}
        self.admin = saved["bench.admin@bench.test"]
        self.own_themes()
        self.log(f"{count} partnerships, {len(agencies)} agencies, {len(users)} people, {len(roles)} roles")

    def own_themes(self):
        """Each partnership's list of practice themes: the seeded list the migrations gave the first one."""
        seeded = list(Theme.objects.filter(partnership=self.partnership_rows[0]).order_by("name"))
        rows = []
        for partnership in self.partnership_rows[1:]:
            for theme in seeded:
                rows.append(Theme(id=self.uuid(), partnership=partnership, name=theme.name, slug=theme.slug,
                                  description=theme.description, is_active=theme.is_active,
                                  created_at=theme.created_at, updated_at=theme.updated_at))
        self.save(Theme, rows)
        self.theme_order: dict[int, list[Theme]] = {}
        for theme in Theme.objects.filter(partnership__in=self.partnership_rows).order_by("partnership", "name"):
            self.theme_order.setdefault(theme.partnership_id, []).append(theme)
        for themes in self.theme_order.values():
            self.rng.shuffle(themes)  # which themes recur most differs between partnerships
        longest = max((len(t) for t in self.theme_order.values()), default=0)
        self.theme_weights = [1 / (rank + 1) ** 1.1 for rank in range(longest)]

    # --- cases -------------------------------------------------------------------------------------------------
    def cases(self, n: int):
        rng = self.rng
        o = self.o
        span = o["years"] * 365
        days = sorted(self.today - datetime.timedelta(days=int(span * (i + rng.random()) / n)) for i in range(n))
        # The newest few get one open stage each (see NEWEST); their dates stay recent and realistic. They belong to
        # the measured partnership, and so does its share ``own`` of the rest; the other partnerships share the
        # remainder unevenly, as big counties and small boroughs do.
        own = min(1.0, o["own"] / max(o["cases"], 1)) if len(self.partnerships) > 1 else 1.0
        plans = []
        for i, received in enumerate(days):
            age = (self.today - received).days
            newest = n - 1 - i
            sin = rng.random() < 0.5
            cspr = rng.random() < 0.2
            if newest < len(NEWEST):
                stage = NEWEST[newest]
                sin = stage in SIN_STAGES
                age = {Stage.RECEIVED: 1, Stage.THRESHOLD: 4, Stage.NOT_MET: 12, Stage.RAPID_REVIEW: 9,
                       Stage.DECISION: 20, Stage.NATIONAL_PANEL: 30, Stage.CSPR: 120}[stage]
                received = self.today - datetime.timedelta(days=age)
            else:
                stage = stage_for(age, sin, cspr)
            if newest < len(NEWEST) or rng.random() < own:
                partnership = 0
            else:
                partnership = rng.choices(range(1, len(self.partnerships)), self.sizes[1:])[0]
            plans.append((received, stage, sin and stage not in (Stage.RECEIVED, Stage.THRESHOLD), newest == 0,
                          partnership))
        plans.sort(key=lambda p: p[0])
        return plans

    def write_cases(self, plans):
        rng = self.rng
        counters = self.counters
        cases, referrals, household, events, decisions, sins, joint = [], [], [], [], [], [], []
        histories: dict[type, list] = {Case: [], Referral: []}
        self.case_rows = []
        for received, stage, sin, benchmark, partnership in plans:
            first_event = len(events)
            staff = self.staff[partnership]
            bu, chairs, threshold = staff[Role.BUSINESS_UNIT], staff[Role.RR_CHAIR], staff[Role.THRESHOLD]
            year = received.year
            counters[partnership, year] = counters.get((partnership, year), 0) + 1
            number = counters[partnership, year]
            incident = received - datetime.timedelta(days=rng.randint(1, 20))
            created = at(received, rng.randint(8, 17))
            closed = stage == Stage.CLOSED
            sin_on = received + datetime.timedelta(days=5) if sin else None
            case = Case(id=self.uuid(), reference=f"{self.prefixes[partnership]}-{year}-{number:04d}", stage=stage,
                        partnership_id=self.partnership_rows[partnership].pk,
                        source=rng.choices([Source.PROFESSIONAL, Source.CDOP_JAR, Source.PUBLIC], [80, 15, 5])[0],
                        child_first_name=rng.choice(FIRST), child_last_name=rng.choice(LAST),
                        child_dob=incident - datetime.timedelta(days=rng.randint(30, 17 * 365)),
                        harm=rng.choice([Harm.DIED, Harm.SERIOUS_HARM]), incident_date=incident,
                        la_aware_on=incident + datetime.timedelta(days=1), sin_notified_on=sin_on,
                        pseudonym=f"Child {chr(65 + number % 26)}{number}",
                        closed_at=at(received + datetime.timedelta(days=400 if sin else 40)) if closed else None,
                        created_at=created, updated_at=created)
            cases.append(case)
            self.case_rows.append({"case": case, "received": received, "stage": stage, "sin": sin, "p": partnership,
                                   "partnership": self.partnerships[partnership], "benchmark": benchmark})
            # A joint review now and then: a neighbouring partnership (where the child lives) takes part.
            if len(self.partnerships) > 1 and not benchmark and rng.random() < 0.05:
                neighbour = (partnership + rng.choice([-1, 1])) % len(self.partnerships)
                if neighbour != partnership:
                    ended = stage == Stage.CLOSED and rng.random() < 0.5
                    joint.append(CaseParticipation(
                        case=case, partnership_id=self.partnership_rows[neighbour].pk, added_by=rng.choice(bu),
                        reason="The child lives in the neighbouring partnership's area.",
                        added_at=at(received + datetime.timedelta(days=2)),
                        ended_at=case.closed_at if ended else None))
            referral = Referral(id=self.uuid(), case=case, received_on=received, referrer_name=rng.choice(FIRST),
                                referrer_role="Safeguarding lead", referrer_email="referrer@bench.test",
                                referrer_agency=self.partnerships[partnership][rng.randrange(3)],
                                child_sex=rng.choice(["female", "male"]), child_home_la=place(partnership),
                                incident_la=place(partnership),
                                abuse_kinds=rng.sample(["physical", "neglect", "emotional", "domestic_abuse"], 2),
                                description=text(rng, 4), criteria_reasons=text(rng, 1),
                                created_at=created, updated_at=created)
            referrals.append(referral)
            for _ in range(rng.randint(2, 4)):
                household.append(HouseholdMember(referral=referral, name=f"{rng.choice(FIRST)} {case.child_last_name}",
                                                 relationship=rng.choice(["Mother", "Father", "Sibling", "Partner"])))
            events.append(CaseEvent(case=case, at=created, actor=rng.choice(bu), kind="received",
                                    summary="Referral received", to_stage=Stage.RECEIVED))
            if stage != Stage.RECEIVED:
                events.append(CaseEvent(case=case, at=at(received + datetime.timedelta(days=1)), actor=rng.choice(bu),
                                        kind="stage", summary="Sent for the threshold discussion",
                                        from_stage=Stage.RECEIVED, to_stage=Stage.THRESHOLD))
            if stage not in (Stage.RECEIVED, Stage.THRESHOLD):
                decided = received + datetime.timedelta(days=4)
                decisions.append(ThresholdDecision(
                    id=self.uuid(), case=case, discussed_on=decided, la_participant=rng.choice(threshold),
                    health_participant=rng.choice(threshold), police_participant=rng.choice(threshold),
                    outcome=ThresholdOutcome.MET if sin else ThresholdOutcome.NOT_MET, rationale=text(rng, 2),
                    decision_maker=rng.choice(chairs), recorded_by=rng.choice(bu),
                    created_at=at(decided), updated_at=at(decided)))
                events.append(CaseEvent(case=case, at=at(decided), actor=rng.choice(bu), kind="stage",
                                        summary="Threshold decision recorded", from_stage=Stage.THRESHOLD,
                                        to_stage=Stage.RAPID_REVIEW if sin else Stage.NOT_MET))
            if sin:
                sins.append(SinNotification(id=self.uuid(), case=case, notified_on=sin_on,
                                            notification_reference=f"SIN-{case.reference}",
                                            recorded_by=rng.choice(bu), created_at=at(sin_on),
                                            updated_at=at(sin_on)))
            if closed:
                events.append(CaseEvent(case=case, at=case.closed_at, actor=rng.choice(bu), kind="stage",
                                        summary="Case closed", to_stage=Stage.CLOSED))
            # The case as it was created, then each move of stage; the last carries what the case holds now.
            moves = [e for e in events[first_event:] if e.kind == "stage"]
            histories[Case].append(historical(case, when=created, kind="+", user=events[first_event].actor,
                                              stage=Stage.RECEIVED, sin_notified_on=None, closed_at=None))
            for k, move in enumerate(moves):
                last = k == len(moves) - 1
                histories[Case].append(historical(
                    case, when=move.at, kind="~", user=move.actor, stage=stage if last else move.to_stage,
                    sin_notified_on=sin_on if last or (sin_on and move.at.date() >= sin_on) else None,
                    closed_at=case.closed_at if last else None))
            histories[Referral].append(historical(referral, when=created, kind="+",
                                                  user=self.history_rng.choice(bu)))
        self.save(Case, cases)
        self.save(Referral, referrals)
        self.save(HouseholdMember, household)
        self.save(ThresholdDecision, decisions)
        self.save(SinNotification, sins)
        # CaseEvent.at is auto_now_add: stored_dates keeps the dates set above.
        self.save(CaseEvent, events)
        self.save(CaseParticipation, joint)
        for model, rows in histories.items():
            self.save(model.history.model, rows)
        for (partnership, year), last in counters.items():
            ReferenceCounter.objects.update_or_create(
                partnership=self.partnership_rows[partnership], year=year,
                defaults={"last": last, "prefix": self.prefixes[partnership]})
        self.log(f"{len(cases)} cases ({sum(1 for r in self.case_rows if r['p'] == 0)} the measured partnership's), "
                 f"{len(joint)} joint reviews, {len(events)} timeline lines")

    # --- agency check forms ---------------------------------------------------------------------------------------
    def forms(self, target: int):
        self.form_rows = []
        rng, o = self.rng, self.o
        eligible = [r for r in self.case_rows if r["stage"] != Stage.RECEIVED]
        benchmark = self.benchmark_row()
        weights = [12.0 if r is benchmark else rng.choice([4, 5, 6, 7, 8, 8, 9, 10, 11, 12]) for r in eligible]
        sizes = self.scaled(weights, target, 1, len(PARTNERSHIP_AGENCIES))
        forms, entries, packs, through, history = [], [], [], [], []
        m2m = Case.involved_agencies.through
        for row, k in zip(eligible, sizes, strict=True):
            bu = self.staff[row["p"]][Role.BUSINESS_UNIT]
            partnership = row["partnership"]
            k = 12 if row is benchmark else min(k, len(partnership))
            # CSC, police and health are nearly always asked; the rest by chance.
            chosen = partnership[:3] + rng.sample(partnership[3:], max(0, k - 3)) if k > 3 else partnership[:k]
            row["agencies"] = chosen
            issued = row["received"] + datetime.timedelta(days=6)
            due = issued + datetime.timedelta(days=11)
            stage = row["stage"]
            open_case = stage in (Stage.THRESHOLD, Stage.RAPID_REVIEW)
            full = open_case or stage in (Stage.DECISION, Stage.NATIONAL_PANEL)
            for agency in chosen:
                through.append(m2m(case_id=row["case"].pk, agency_id=agency.pk))
                if row is benchmark:
                    status = FormStatus.ACCEPTED
                elif open_case:
                    status = rng.choice([FormStatus.ISSUED, FormStatus.DRAFT, FormStatus.SUBMITTED,
                                         FormStatus.RETURNED, FormStatus.ACCEPTED])
                else:
                    status = FormStatus.ACCEPTED  # the pack went out: every form of a past case was accepted
                done = status in (FormStatus.SUBMITTED, FormStatus.ACCEPTED)
                involved = rng.random() < 0.8
                length = 3 if full else 1
                form = AgencyCheckForm(
                    id=self.uuid(), case=row["case"], agency=agency, status=status, due_on=due, issued_on=issued,
                    issued_by=rng.choice(bu), submitted_at=at(due - datetime.timedelta(days=1)) if done else None,
                    accepted_at=at(due + datetime.timedelta(days=2)) if status == FormStatus.ACCEPTED else None,
                    involved=involved if status != FormStatus.ISSUED else None,
                    involvement_from=row["received"] - datetime.timedelta(days=700) if involved else None,
                    involvement_summary=text(rng, length) if involved else "",
                    no_involvement_note="" if involved else "Checked our case records: no contact.",
                    analysis=text(rng, length * 2) if involved and done else "",
                    went_well=text(rng, length) if involved and done else "",
                    could_be_better=text(rng, length) if involved and done else "",
                    prevention=text(rng, 1) if involved and done and full else "",
                    good_practice=text(rng, 1) if involved and done and full else "",
                    improvement_areas=text(rng, length) if involved and done else "",
                    agency_learning=text(rng, 1) if involved and done and full else "",
                    author_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", author_role="Named nurse",
                    manager_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", manager_role="Head of safeguarding",
                    manager_signed_on=due if done else None,
                    created_at=at(issued), updated_at=at(due))
                forms.append(form)
                history.extend(self.form_history(form, bu, self.staff[row["p"]].get(Role.AGENCY_LEAD) or bu))
                self.form_rows.append((form.pk, row["case"], agency.pk, issued, due, status))
                if involved:
                    count = 15 if row is benchmark else min(12, int(rng.expovariate(1 / o["chronology"])))
                    for c in range(count):
                        day = row["received"] - datetime.timedelta(days=rng.randint(1, 700))
                        entries.append(ChronologyEntry(id=self.uuid(), form=form, date=day,
                                                       contact_type=CONTACTS[(c * 7 + len(entries)) % len(CONTACTS)],
                                                       summary=text(rng, 2 if full else 1),
                                                       practitioner_role="Health visitor",
                                                       created_at=at(issued), updated_at=at(issued)))
            past_panel = stage not in (Stage.THRESHOLD, Stage.NOT_MET, Stage.CLOSED, Stage.RAPID_REVIEW) or (
                row["sin"] and stage == Stage.CLOSED)
            if past_panel or row is benchmark:
                packs.append(Pack(id=self.uuid(), case=row["case"], distributed_by=rng.choice(bu),
                                      created_at=at(due), updated_at=at(due)))
            if len(entries) > 50_000:
                self.save(AgencyCheckForm, forms)
                self.save(ChronologyEntry, entries)
                self.save(AgencyCheckForm.history.model, history)
                forms, entries, history = [], [], []
        self.save(AgencyCheckForm, forms)
        self.save(ChronologyEntry, entries)
        self.save(AgencyCheckForm.history.model, history)
        self.save(Pack, packs)
        self.save(m2m, through)
        self.log(f"{self.counts.get('agencychecks.AgencyCheckForm', 0)} agency forms, "
                 f"{self.counts.get('agencychecks.ChronologyEntry', 0)} chronology rows")

    _ANSWERS = ("involved", "involvement_from", "involvement_summary", "no_involvement_note", "analysis", "went_well",
                "could_be_better", "prevention", "good_practice", "improvement_areas", "agency_learning",
                "author_name", "author_role", "manager_name", "manager_role", "manager_signed_on")

    def form_history(self, form, business_unit: list, leads: list) -> list:
        """The change history of one agency form, as far as it got: issued by the business unit with nothing
        answered; a draft saved by the agency; submitted with every answer; sent back once in a while (and
        resubmitted); accepted."""
        rng = self.history_rng
        blank = {name: (None if name in ("involved", "involvement_from", "manager_signed_on") else "")
                 for name in self._ANSWERS}
        issued = at(form.issued_on, 9)
        rows = [historical(form, when=issued, kind="+", user=form.issued_by, status=FormStatus.ISSUED,
                           submitted_at=None, accepted_at=None, **blank)]
        if form.status == FormStatus.ISSUED:
            return rows
        drafted = {name: getattr(form, name) for name in ("involved", "involvement_from", "involvement_summary",
                                                          "no_involvement_note", "author_name", "author_role")}
        rows.append(historical(form, when=issued + datetime.timedelta(days=3, hours=4), kind="~",
                               user=rng.choice(leads), status=FormStatus.DRAFT, submitted_at=None, accepted_at=None,
                               **{**blank, **drafted}))
        if form.status == FormStatus.DRAFT or form.submitted_at is None:
            return rows
        rows.append(historical(form, when=form.submitted_at, kind="~", user=rng.choice(leads),
                               status=FormStatus.SUBMITTED, accepted_at=None))
        if form.status == FormStatus.RETURNED or rng.random() < 0.15:
            rows.append(historical(form, when=form.submitted_at + datetime.timedelta(hours=20), kind="~",
                                   user=rng.choice(business_unit), status=FormStatus.RETURNED, accepted_at=None))
            if form.status != FormStatus.RETURNED:
                rows.append(historical(form, when=form.submitted_at + datetime.timedelta(days=1, hours=6), kind="~",
                                       user=rng.choice(leads), status=FormStatus.SUBMITTED, accepted_at=None))
        if form.status == FormStatus.ACCEPTED and form.accepted_at is not None:
            rows.append(historical(form, when=form.accepted_at, kind="~", user=rng.choice(business_unit)))
        return rows

    def benchmark_row(self):
        """The rapid review every profile measures: twelve accepted forms with full chronologies."""
        return next((r for r in self.case_rows if r["benchmark"]), None)

    # --- panels and decisions ----------------------------------------------------------------------------------
    def panels(self):
        """A panel for every notified case, its invitations, and (past the meeting) a meeting record."""
        rng = self.rng
        panels, invitations, conflicts = [], [], []
        for row in self.case_rows:
            if not row["sin"]:
                continue
            staff = self.staff[row["p"]]
            members, chairs, bu = staff[Role.PANEL_MEMBER], staff[Role.RR_CHAIR], staff[Role.BUSINESS_UNIT]
            sin_on = row["received"] + datetime.timedelta(days=5)
            meeting = sin_on + datetime.timedelta(days=12)
            held = row["stage"] != Stage.RAPID_REVIEW
            # One panel a day is the rule of each partnership: a held meeting that would share its partnership's
            # day keeps no ``meeting_date``.
            day = meeting if (row["p"], meeting) not in self.panel_days else None
            if day is not None:
                self.panel_days.add((row["p"], day))
            panel = Panel(id=self.uuid(), case=row["case"], partnership_id=row["case"].partnership_id,
                          state=PanelState.HELD if held else PanelState.SCHEDULED,
                          meeting_at=at(meeting, 14), meeting_date=day, venue="Council offices, Room 3",
                          agenda=text(rng, 2), ics_uid=f"panel-{row['case'].pk}@bench.test",
                          invitations_sent_at=at(sin_on + datetime.timedelta(days=2)),
                          held_at=at(meeting, 16) if held else None, held_recorded_by=rng.choice(bu) if held else None,
                          created_by=rng.choice(bu), created_at=at(sin_on), updated_at=at(meeting))
            panels.append(panel)
            row["panel_members"] = rng.sample(members, min(6, len(members)))
            for n, user in enumerate([rng.choice(chairs), *row["panel_members"]]):
                invitations.append(PanelInvitation(
                    id=self.uuid(), panel=panel, user=user, seat="Chair" if n == 0 else f"Panel seat {n}",
                    voting=n % 3 != 2, core=True, is_chair=n == 0, sent_sequence=0,
                    attendance=Attendance.PRESENT if held else "", created_at=at(sin_on), updated_at=at(sin_on)))
            # Now and then a member knows the family: a declared conflict, handled by the business unit once the
            # panel has met.
            if rng.random() < 0.1:
                member = rng.choice(row["panel_members"])
                declared = at(sin_on + datetime.timedelta(days=3))
                conflicts.append(ConflictOfInterest(
                    id=self.uuid(), case=row["case"], user=member, declared_by=member,
                    nature="Knows the family through a previous role.", implications="Cannot vote on this case.",
                    handling="Takes no part in the discussion or the vote." if held else "",
                    handled_by=rng.choice(bu) if held else None, handled_at=at(meeting, 9) if held else None,
                    created_at=declared, updated_at=declared))
        self.save(Panel, panels)
        self.save(PanelInvitation, invitations)
        self.save(ConflictOfInterest, conflicts)
        self.log(f"{len(panels)} panels, {len(invitations)} invitations, {len(conflicts)} conflicts of interest")

    def decisions(self):
        """Meeting records, decision sheets (one version each, signed by the three partners once sent), National
        Panel submissions and practice reviews, by stage."""

        rng = self.rng
        records, sheets, versions, signatures, submissions, csprs = [], [], [], [], [], []
        votes, disputes = [], []
        for row in self.case_rows:
            if not row["sin"]:
                continue
            staff = self.staff[row["p"]]
            bu = staff[Role.BUSINESS_UNIT]
            # The three executives sign for their partners (STAFF lists them local authority, health, police).
            executives = dict(zip((LA, HEALTH, POLICE), staff[Role.EXECUTIVE], strict=True))
            case, stage = row["case"], row["stage"]
            meeting = row["received"] + datetime.timedelta(days=17)
            closed_vote = stage != Stage.RAPID_REVIEW
            cspr = stage == Stage.CSPR or (stage == Stage.CLOSED and rng.random() < 0.2)
            records.append(MeetingRecord(
                id=self.uuid(), case=case, meeting_date=meeting if closed_vote else None,
                chair_overview=text(rng, 2) if closed_vote else "", areas_for_learning=text(rng, 2),
                cspr_criteria_met=YesNo.YES if cspr else YesNo.NO, recorded_by=rng.choice(bu),
                vote_closed_at=at(meeting, 17) if closed_vote else None,
                vote_closed_by=rng.choice(bu) if closed_vote else None, created_at=at(meeting), updated_at=at(meeting)))
            # Each voting seat's answer (a held meeting's votes are all in; an open one has about half).
            record = records[-1]
            for member in row.get("panel_members", [])[::2] if closed_vote else row.get("panel_members", [])[:2]:
                choice = VoteChoice.YES if cspr else rng.choices(VoteChoice.values, [10, 80, 10])[0]
                votes.append(Vote(id=self.uuid(), meeting=record, member=member, choice=choice, recorded_by=member,
                                  created_at=at(meeting, 15), updated_at=at(meeting, 15)))
            if not closed_vote:
                continue
            sent = stage != Stage.DECISION
            drafted = meeting + datetime.timedelta(days=1)
            sheet = DecisionSheet(id=self.uuid(), case=case,
                                  status=SheetStatus.SENT if sent else SheetStatus.OUT_FOR_SIGNATURE,
                                  signed_at=at(drafted + datetime.timedelta(days=3)) if sent else None,
                                  created_at=at(drafted), updated_at=at(drafted))
            version = DecisionSheetVersion(
                id=self.uuid(), sheet=sheet, number=1, case_summary=text(rng, 3), agency_involvement=text(rng, 4),
                analysis=text(rng, 5), immediate_actions=text(rng, 2), learning=text(rng, 3),
                criteria_met=YesNo.YES if cspr else YesNo.NO, criteria_reasons=text(rng, 1),
                national_issues=YesNo.NO, recommendation=Recommendation.CSPR if cspr else Recommendation.NO_FURTHER,
                rationale=text(rng, 2), created_by=rng.choice(bu), frozen_at=at(drafted, 15),
                created_at=at(drafted), updated_at=at(drafted))
            sheet.current = version
            sheets.append(sheet)
            versions.append(version)
            if sent:
                # About one sheet in twenty was disputed by one partner, met over and resolved by the Executive
                # chair with the sheet standing: that partner's answer stays a dispute.
                disputing = rng.choice(list(executives)) if rng.random() < 0.05 else None
                for partner, signer in executives.items():
                    signature = Signature(id=self.uuid(), sheet=sheet, version=version, partner=partner,
                                          signer=signer, outcome=SignatureOutcome.AGREE,
                                          signed_at=at(drafted + datetime.timedelta(days=2)),
                                          created_at=at(drafted), updated_at=at(drafted))
                    signatures.append(signature)
                    if partner == disputing:
                        signature.outcome, signature.reasons = SignatureOutcome.DISPUTE, text(rng, 1)
                        disputes.append(Dispute(
                            id=self.uuid(), sheet=sheet, signature=signature, status=DisputeStatus.RESOLVED,
                            meeting_on=drafted + datetime.timedelta(days=2), meeting_notes=text(rng, 1),
                            meeting_recorded_by=rng.choice(bu), resolution="The sheet stands: " + text(rng, 1),
                            resolved_at=at(drafted + datetime.timedelta(days=3), 16), resolved_by=rng.choice(bu),
                            created_at=at(drafted, 12), updated_at=at(drafted + datetime.timedelta(days=3))))
                sent_on = drafted + datetime.timedelta(days=4)
                answered = stage in (Stage.CSPR, Stage.CLOSED)
                submissions.append(NationalPanelSubmission(
                    id=self.uuid(), case=case, sent_on=sent_on, working_day=14, sent_by=rng.choice(bu),
                    response_on=sent_on + datetime.timedelta(days=20) if answered else None,
                    response=(NationalPanelResponse.values[0] if answered else ""),
                    response_text=text(rng, 1) if answered else "",
                    response_recorded_by=rng.choice(bu) if answered else None,
                    created_at=at(sent_on), updated_at=at(sent_on)))
            if cspr and stage in (Stage.CSPR, Stage.CLOSED):
                start = row["received"] + datetime.timedelta(days=45)
                published = stage == Stage.CLOSED
                csprs.append(Cspr(
                    id=self.uuid(), case=case, methodology=rng.choice(Methodology.values),
                    reviewers="Independent reviewer", terms_of_reference=text(rng, 3), started_on=start,
                    final_report_due_on=start + datetime.timedelta(days=182),
                    report_sent_on=start + datetime.timedelta(days=180) if published else None,
                    published_on=start + datetime.timedelta(days=220) if published else None,
                    commissioned_by=rng.choice(bu), created_at=at(start), updated_at=at(start)))
        self.save(MeetingRecord, records)
        # A sheet points at its current version and a version at its sheet: insert the sheets without it first.
        for sheet in sheets:
            sheet.current_holder, sheet.current = sheet.current, None
        self.save(DecisionSheet, sheets)
        self.save(DecisionSheetVersion, versions)
        for sheet in sheets:
            sheet.current = sheet.current_holder
        DecisionSheet.objects.bulk_update(sheets, ["current"], batch_size=self.batch)
        self.save(Vote, votes)
        self.save(Signature, signatures)
        self.save(Dispute, disputes)
        self.save(NationalPanelSubmission, submissions)
        self.save(Cspr, csprs)
        self.log(f"{len(records)} meeting records, {len(votes)} votes, {len(sheets)} decision sheets, "
                 f"{len(disputes)} disputes, {len(csprs)} practice reviews")

    # --- themes ------------------------------------------------------------------------------------------------
    def themes(self):
        """Each case's practice themes, from its partnership's own list; a few themes recur in most cases."""
        rng = self.rng
        rows = []
        for row in self.case_rows:
            themes = self.theme_order.get(self.partnership_rows[row["p"]].pk)
            if row["stage"] in (Stage.RECEIVED, Stage.THRESHOLD) or not themes:
                continue
            weights = self.theme_weights[: len(themes)]
            bu = self.staff[row["p"]][Role.BUSINESS_UNIT]
            log = ThemeLog.RAPID_REVIEW if row["sin"] else ThemeLog.SIN
            count = rng.randint(2, 5) if row["sin"] else rng.randint(1, 2)
            picked = set()
            while len(picked) < min(count, len(themes)):
                picked.add(rng.choices(range(len(themes)), weights)[0])
            for index in sorted(picked):
                rows.append(CaseTheme(case=row["case"], theme=themes[index], log=log, source="Panel meeting",
                                      recorded_by=rng.choice(bu),
                                      recorded_at=at(row["received"] + datetime.timedelta(days=14))))
        self.save(CaseTheme, rows)
        self.log(f"{len(rows)} case themes over {sum(len(t) for t in self.theme_order.values())} themes")

    # --- actions -----------------------------------------------------------------------------------------------
    def actions(self, target: int):
        self.actions_rows = []
        rng = self.rng
        eligible = [r for r in self.case_rows if r["stage"] in (Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR)
                    or (r["stage"] == Stage.CLOSED) or (r["stage"] == Stage.NOT_MET and rng.random() < 0.3)]
        weights = [(14.0 if r["sin"] else 3.0) * rng.uniform(0.5, 1.5) for r in eligible]
        sizes = self.scaled(weights, target, 0, 40)
        rows, updates, evidence = [], [], []
        for row, k in zip(eligible, sizes, strict=True):
            wg = self.staff[row["p"]][Role.WORKING_GROUP]
            agencies = row.get("agencies") or row["partnership"][:3]
            for _ in range(k):
                created = row["received"] + datetime.timedelta(days=rng.randint(15, 60))
                due = created + datetime.timedelta(days=rng.randint(60, 365))
                past = (self.today - due).days
                if past > 365:
                    status = ActionStatus.EMBEDDED if rng.random() < 0.5 else ActionStatus.COMPLETED
                elif past > 0:
                    status = rng.choices([ActionStatus.COMPLETED, ActionStatus.IN_PROGRESS,
                                          ActionStatus.NOT_STARTED], [80, 15, 5])[0]
                else:
                    status = rng.choices([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS,
                                          ActionStatus.COMPLETED], [40, 50, 10])[0]
                done = status in (ActionStatus.COMPLETED, ActionStatus.EMBEDDED)
                completed = min(due, self.today) if done else None
                confirmed = done and (status == ActionStatus.EMBEDDED or past > 0)
                action = Action(
                    id=self.uuid(), case=row["case"], partnership_id=self.partnership_rows[row["p"]].pk,
                    source=ActionSource.CSPR if row["stage"] == Stage.CSPR else (
                        ActionSource.RAPID_REVIEW if row["sin"] else ActionSource.SIN),
                    learning=text(rng, 1), description=text(rng, 1), agency=rng.choice(agencies), due_on=due,
                    status=status, completed_on=completed,
                    completion_confirmed_at=at(completed) if confirmed else None,
                    completion_confirmed_by=rng.choice(wg) if confirmed else None,
                    embedded_on=completed if status == ActionStatus.EMBEDDED else None,
                    created_by=rng.choice(wg), created_at=at(created), updated_at=at(created))
                rows.append(action)
                updates.extend(self.action_updates(action, created, wg))
                # Most finished actions carry evidence that they were done (text: the generator writes no files).
                if done and rng.random() < 0.7:
                    evidence.append(ActionEvidence(action=action, text=text(rng, 1),
                                                   added_by=self.lead_of.get(action.agency_id) or rng.choice(wg),
                                                   added_at=at(completed)))
        self.save(Action, rows)
        self.save(ActionUpdate, updates)
        self.save(ActionEvidence, evidence)
        self.actions_rows = rows
        self.log(f"{len(rows)} actions, {len(updates)} progress updates, {len(evidence)} pieces of evidence")

    def action_updates(self, action, created: datetime.date, wg) -> list:
        """The progress notes an action's agency lead left on the way to its status, and the working group's
        confirmation of a completed one."""
        rng = self.rng
        lead = self.lead_of.get(action.agency_id) or rng.choice(wg)
        end = min(action.completed_on or self.today, self.today)
        span = max((end - created).days, 1)

        def on(fraction):
            return at(created + datetime.timedelta(days=int(span * fraction)), rng.randint(9, 17))

        out = []
        if action.status == ActionStatus.NOT_STARTED:
            if rng.random() < 0.3:
                out.append(ActionUpdate(action=action, partnership_id=action.partnership_id,
                                        at=on(0.5), author=lead, note=text(rng, 1)))
            return out
        out.append(ActionUpdate(action=action, partnership_id=action.partnership_id,
                                at=on(0.2), author=lead, note=text(rng, 1),
                                from_status=ActionStatus.NOT_STARTED, to_status=ActionStatus.IN_PROGRESS))
        for _ in range(rng.randint(0, 2)):
            out.append(ActionUpdate(action=action, partnership_id=action.partnership_id,
                                    at=on(rng.uniform(0.3, 0.9)), author=lead, note=text(rng, 1)))
        if action.status in (ActionStatus.COMPLETED, ActionStatus.EMBEDDED):
            out.append(ActionUpdate(action=action, partnership_id=action.partnership_id,
                                    at=on(1.0), author=lead, note=text(rng, 1),
                                    from_status=ActionStatus.IN_PROGRESS, to_status=ActionStatus.COMPLETED))
        if action.status == ActionStatus.EMBEDDED:
            out.append(ActionUpdate(action=action, partnership_id=action.partnership_id,
                                    at=on(1.0), author=action.completion_confirmed_by or lead,
                                    note="Embedded in practice.", from_status=ActionStatus.COMPLETED,
                                    to_status=ActionStatus.EMBEDDED))
        return out

    # --- clocks ------------------------------------------------------------------------------------------------
    def clock(self, *, kind, subject_type, subject_id, case, started, due, open_, owner_agency_id=None, label=""):
        """A clock as the sweep would have left it today: past ladder steps already sent."""
        state = ClockState.MET
        next_step, next_on, met_at = 0, None, at(due - datetime.timedelta(days=1))
        if open_:
            met_at = None
            state = ClockState.OVERDUE if due < self.today else ClockState.RUNNING
            ladder = ladder_for(kind)
            next_step = len(ladder)
            for index, step in enumerate(ladder):
                day = step_date(_Due(due, case.partnership_id), step)
                if day >= self.today:
                    next_step, next_on = index, day
                    break
        return Clock(id=self.uuid(), kind=kind, subject_type=subject_type, subject_id=subject_id, case_id=case.pk,
                     partnership_id=case.partnership_id,
                     label=label, started_on=started, due_on=due, state=state, met_at=met_at, next_step=next_step,
                     next_reminder_on=next_on, reference=case.reference, url=case.get_absolute_url(),
                     owner_agency_id=owner_agency_id, created_at=at(started), updated_at=at(started))

    def clocks(self, target: int):
        rows: list[Clock] = []
        case_type = ContentType.objects.get_for_model(Case)
        for row in self.case_rows:
            case, received, stage = row["case"], row["received"], row["stage"]
            rows.append(self.clock(kind=ClockKind.SIN_DECISION, subject_type=case_type, subject_id=case.pk, case=case,
                                   started=received, due=received + datetime.timedelta(days=7),
                                   open_=stage in (Stage.RECEIVED, Stage.THRESHOLD)))
            if row["sin"]:
                sin_on = received + datetime.timedelta(days=5)
                rows.append(self.clock(kind=ClockKind.PANEL_MEETING, subject_type=case_type, subject_id=case.pk,
                                       case=case, started=sin_on, due=sin_on + datetime.timedelta(days=14),
                                       open_=stage == Stage.RAPID_REVIEW))
                rows.append(self.clock(kind=ClockKind.NATIONAL_PANEL, subject_type=case_type, subject_id=case.pk,
                                       case=case, started=sin_on, due=sin_on + datetime.timedelta(days=21),
                                       open_=stage in (Stage.RAPID_REVIEW, Stage.DECISION)))
            if stage == Stage.CSPR:
                start = received + datetime.timedelta(days=45)
                rows.append(self.clock(kind=ClockKind.CSPR_REPORT, subject_type=case_type, subject_id=case.pk,
                                       case=case, started=start, due=start + datetime.timedelta(days=182),
                                       open_=True))
        form_type = ContentType.objects.get_for_model(AgencyCheckForm)
        for form_id, case, agency_id, issued, due, status in self.form_rows:
            if len(rows) >= target:
                break
            rows.append(self.clock(kind=ClockKind.AGENCY_FORM, subject_type=form_type, subject_id=form_id,
                                   case=case, started=issued, due=due, owner_agency_id=agency_id,
                                   open_=status in (FormStatus.ISSUED, FormStatus.DRAFT, FormStatus.RETURNED)))
        if self.actions_rows:
            action_type = ContentType.objects.get_for_model(Action)
            # Open actions always have a running clock; finished ones fill the rest of the target.
            ordered = sorted(self.actions_rows, key=lambda a: a.status not in OPEN_ACTION_STATUSES)
            for action in ordered:
                if len(rows) >= target:
                    break
                rows.append(self.clock(kind=ClockKind.ACTION, subject_type=action_type, subject_id=action.pk,
                                       case=action.case, started=action.created_at.date(), due=action.due_on,
                                       owner_agency_id=action.agency_id, open_=action.status in OPEN_ACTION_STATUSES))
        self.save(Clock, rows[:target])
        active = sum(1 for c in rows[:target] if c.state in (ClockState.RUNNING, ClockState.OVERDUE))
        self.log(f"{min(len(rows), target)} clocks ({active} running or overdue)")

    # --- each partnership's own records ------------------------------------------------------------------------
    def partnership_records(self):
        """Working group meetings (four a year), learning (two a year), a closure day, for every partnership."""
        rng = self.rng
        meetings, learning, closures = [], [], []
        years = self.o["years"]
        for n, partnership in enumerate(self.partnership_rows):
            staff = self.staff[n]
            for quarter in range(years * 4):
                day = self.start_day + datetime.timedelta(days=30 + quarter * 91 + n % 20)
                if day > self.today:
                    break
                meetings.append(WorkingGroupMeeting(id=self.uuid(), partnership=partnership, held_on=day,
                                                    notes=text(rng, 2), created_at=at(day), updated_at=at(day),
                                                    recorded_by=rng.choice(staff[Role.WORKING_GROUP])))
            for half in range(years * 2):
                day = self.start_day + datetime.timedelta(days=60 + half * 182 + n % 30)
                if day > self.today:
                    break
                kind = rng.choice(LearningKind.values)
                title = f"Learning {half + 1}: {rng.choice(SENTENCES)[:80]}"
                learning.append(LearningItem(id=self.uuid(), partnership=partnership, kind=kind, title=title,
                                             date=day, body=text(rng, 3),
                                             created_by=rng.choice(staff[Role.BUSINESS_UNIT]),
                                             created_at=at(day), updated_at=at(day)))
            closures.append(NonWorkingDay(partnership=partnership, date=datetime.date(self.today.year, 12, 27),
                                          reason="Office closed between Christmas and New Year",
                                          created_by=staff[Role.BUSINESS_UNIT][0]))
        self.save(WorkingGroupMeeting, meetings)
        self.save(LearningItem, learning)
        self.save(NonWorkingDay, closures)
        self.log(f"{len(meetings)} working group meetings, {len(learning)} learning items, {len(closures)} closures")

    def outbox_and_log(self):
        """For every case, the e-mails its partnership sent about it and the access log of who read it."""
        rng = self.rng
        case_type = ContentType.objects.get_for_model(Case)
        notes, log = [], []
        for row in self.case_rows:
            case, staff = row["case"], self.staff[row["p"]]
            received = at(row["received"], 11)
            for k, (kind, subject) in enumerate((("referrals.received", "New referral"),
                                                 ("referrals.threshold", "Threshold discussion needed for"),
                                                 ("clocks.reminder", "Reminder:"))):
                person = rng.choice(staff[Role.BUSINESS_UNIT])
                notes.append(Notification(
                    created_at=received + datetime.timedelta(days=k), recipient=person, to_email=person.email,
                    partnership_id=case.partnership_id, subject=f"{subject} {case.reference}",
                    body_text="A message about the case.", kind=kind, related_type=case_type, related_id=case.pk,
                    idempotency_key=f"bench:{case.pk}:{k}", status=NotificationStatus.SENT,
                    sent_at=received + datetime.timedelta(days=k, minutes=1)))
            for k in range(rng.randint(3, 8)):
                person = rng.choice(staff[Role.BUSINESS_UNIT] + staff[Role.RR_CHAIR])
                log.append(AccessLog(at=received + datetime.timedelta(days=k, hours=k), user=person,
                                     action=AccessAction.VIEW, object_type="case", object_id=str(case.pk),
                                     case_id=case.pk, path=case.get_absolute_url(), ip_address="127.0.0.1",
                                     partnership_id=case.partnership_id))
        self.save(Notification, notes)
        self.save(AccessLog, log)
        self.log(f"{len(notes)} e-mails in the outbox, {len(log)} access log entries")

    # --- run ---------------------------------------------------------------------------------------------------
    def add(self, *, cases: int, forms: int, actions: int, clocks: int) -> None:
        """Add ``cases`` cases with about ``forms`` forms, ``actions`` actions and ``clocks`` clocks to them."""
        with transaction.atomic():
            self.write_cases(self.cases(cases))
            self.forms(forms)
            self.panels()
            self.decisions()
            self.themes()
            self.actions(actions)
            self.clocks(clocks)
            self.outbox_and_log()

    def run(self):
        o = self.o
        with transaction.atomic():
            self.people()
            self.partnership_records()
        self.add(cases=o["cases"], forms=o["forms"], actions=o["actions"], clocks=o["clocks"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # As autovacuum would have done long before anyone reads ten years of data: statistics for the
                # planner, and the visibility map that lets index-only scans skip the table.
                cursor.execute("VACUUM (ANALYZE)")
        self.log("done")
        return self.counts


class _Due:
    """Just enough of a clock for ``step_date``: its due date and its partnership (whose closures count)."""

    def __init__(self, due, partnership_id):
        self.due_on = due
        self.partnership_id = partnership_id


# Used by the tests and the harness to know the two profiles.
PROFILES = {"national": NATIONAL, "small": SMALL}
