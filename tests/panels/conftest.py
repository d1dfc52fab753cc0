import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from panels import services
from rapidreview.accounts.models import AgencyType, Role, StatutoryPartner
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_start
from tests.factories import AgencyFactory, make_user

from .factories import PanelCaseFactory as CaseFactory
from .factories import make_member

LONDON = ZoneInfo("Europe/London")
# Monday 2 March 2026, 9am: no bank holiday in the following three weeks.
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def traveller():
    with time_machine.travel(MONDAY, tick=False) as t:
        yield t


@pytest.fixture
def bu(db, traveller):
    return make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")


@pytest.fixture
def members(db):
    """The core panel: a voting member for each statutory partner (the local authority one chairs), a non-voting
    business unit member, and a case-by-case housing member."""
    la = make_member(partner=StatutoryPartner.LOCAL_AUTHORITY, chair=True, title="Head of Quality Assurance",
                     full_name="Laura Authority")
    health = make_member(partner=StatutoryPartner.HEALTH, title="Designated Nurse", full_name="Harriet Health")
    police = make_member(partner=StatutoryPartner.POLICE, title="Public Protection Unit", full_name="Pete Police")
    minutes = make_member(voting=False, title="Co-ordinator (non-voting)", full_name="Nora Nonvoting")
    housing_agency = AgencyFactory(name="Housing Options", type=AgencyType.HOUSING,
                                   statutory_partner=StatutoryPartner.LOCAL_AUTHORITY)
    housing = make_member(partner=StatutoryPartner.LOCAL_AUTHORITY, core=False, title="Housing",
                          agency=housing_agency, full_name="Hugo Housing")
    return {"la": la, "health": health, "police": police, "nonvoting": minutes, "housing": housing,
            "housing_agency": housing_agency}


@pytest.fixture
def case(db, traveller):
    case = CaseFactory(sin_notified_on=MONDAY.date())
    clock_start(kind=ClockKind.PANEL_MEETING, subject=case, start=case.sin_notified_on, case_id=case.pk,
                partnership=case.partnership)
    return case


@pytest.fixture
def panel(case, members, bu):
    case.involved_agencies.add(members["housing_agency"])
    return services.panel_set_up(case=case, invitee_ids=[members["housing"].pk], actor=bu)


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """Use as ``with sending():`` so e-mails queued after commit are delivered (to django.core.mail.outbox)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def scheduled(panel, bu, sending):
    """The panel on Thursday 12 March 2026 at 10am, invitations sent."""
    services.panel_schedule(panel=panel, meeting_at=at(datetime.date(2026, 3, 12)), actor=bu, venue="Town Hall")
    with sending():
        services.panel_send_invitations(panel=panel, actor=bu)
    panel.refresh_from_db()
    return panel
