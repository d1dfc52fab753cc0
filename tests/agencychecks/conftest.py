import pytest

from rapidreview.accounts.models import Role
from tests.factories import AgencyFactory, default_partnership, make_user

from .factories import AgencyCheckCaseFactory as CaseFactory
from .factories import make_lead, make_panel, make_referral


@pytest.fixture
def health(db):
    """An agency in the default partnership's arrangements (so the case's forms may go to it)."""
    agency = AgencyFactory(name="Example Health Trust")
    default_partnership().agencies.add(agency)
    return agency


@pytest.fixture
def school(db):
    agency = AgencyFactory(name="Example Primary School")
    default_partnership().agencies.add(agency)
    return agency


@pytest.fixture
def case(db, health, school):
    """A case at rapid review whose referral names two agencies."""
    case = CaseFactory()
    case.involved_agencies.add(health, school)
    make_referral(case)
    return case


@pytest.fixture
def health_lead(health):
    return make_lead(health, full_name="Hana Health", email="hana@health.test")


@pytest.fixture
def school_lead(school):
    return make_lead(school, full_name="Sid School", email="sid@school.test")


@pytest.fixture
def panel_member(health):
    return make_user(Role.PANEL_MEMBER, agency=health, full_name="Pat Panel", email="pat@panel.test")


@pytest.fixture
def panel(case, panel_member):
    return make_panel(case, members=[panel_member])
