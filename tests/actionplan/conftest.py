import pytest

from rapidreview.accounts.models import Role
from tests.actionplan.factories import in_arrangements
from tests.factories import AgencyFactory, make_user


@pytest.fixture
def police(db):
    return in_arrangements(AgencyFactory(name="Test Police"))


@pytest.fixture
def health(db):
    return in_arrangements(AgencyFactory(name="Test Health Trust"))


@pytest.fixture
def working_group(db):
    return make_user(Role.WORKING_GROUP, full_name="Wendy Group")


@pytest.fixture
def police_lead(police):
    return make_user(Role.AGENCY_LEAD, agency=police, full_name="Paula Lead")


@pytest.fixture
def health_lead(health):
    return make_user(Role.AGENCY_LEAD, agency=health, full_name="Hari Lead")
