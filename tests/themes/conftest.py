import pytest

from rapidreview.accounts.models import Role
from tests.factories import make_user


@pytest.fixture
def working_group(db):
    return make_user(Role.WORKING_GROUP, full_name="Wendy Group")
