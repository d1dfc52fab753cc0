import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from decisions import services
from decisions.models import DecisionSheet
from rapidreview.accounts.models import Role
from referrals.models import Case
from tests.factories import make_user
from tests.referrals.factories import RapidReviewCaseFactory as CaseFactory

from .factories import FULL_SHEET, HEALTH, LA, POLICE, make_executives, make_panel, the_chair

LONDON = ZoneInfo("Europe/London")
# Tuesday 10 March 2026: working day 6 after a notification on Monday 2 March.
TODAY = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def bu(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")


@pytest.fixture
def rr_chair(db):
    return make_user(Role.RR_CHAIR, full_name="Chris Chair")


@pytest.fixture
def case(db):
    return CaseFactory()


@pytest.fixture
def people(case):
    return make_panel(case)


@pytest.fixture
def executives(db):
    return make_executives()


def close_vote(case, people, bu):
    for partner in (LA, HEALTH, POLICE):
        services.vote_record(case=case, member=people[partner], choice="yes", actor=people[partner])
    services.vote_close(case=case, actor=bu)
    case.refresh_from_db()
    return case


@pytest.fixture
def decision_case(case, people, bu):
    return close_vote(case, people, bu)


@pytest.fixture
def draft(decision_case, bu) -> DecisionSheet:
    sheet = services.sheet_start(case=decision_case, actor=bu)
    services.sheet_edit(sheet=sheet, actor=bu, content=FULL_SHEET)
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def out_for_signature(draft, bu, executives) -> DecisionSheet:
    services.sheet_send(sheet=draft, actor=bu)
    draft.refresh_from_db()
    return draft


def sign_all(sheet, executives):
    for partner, person in executives.items():
        services.signature_record(sheet=sheet, signer=person, partner=partner, outcome="agree")
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def signed(out_for_signature, executives) -> DecisionSheet:
    return sign_all(out_for_signature, executives)


@pytest.fixture
def cspr(signed, bu):
    """A practice review commissioned on 10 March 2026 after the signed decision went to the National Panel."""
    services.national_panel_send(case=signed.case, actor=bu, sent_on=datetime.date(2026, 3, 10),
                                 sent_for=the_chair())
    return services.cspr_commission(case=Case.objects.get(pk=signed.case_id), actor=bu, methodology="systems",
                                    methodology_detail="", reviewers="Rowan Reviewer",
                                    terms_of_reference="How agencies shared concerns about the baby.",
                                    started_on=datetime.date(2026, 3, 10))
