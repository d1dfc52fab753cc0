"""The ledgers' demos load into the demo's partnerships, twice over without doubling anything (issue 18).

The context is built here as the core demo builds it (``rapidreview/demo.py``): ``partnership`` (Tower Hamlets),
``partnerships`` with City & Hackney, ``neighbour_users``, ``users`` by key and ``agency_list``.
"""

import pytest
from django.db.models import F

from actionplan import demo as actionplan_demo
from actionplan.models import Action, WorkingGroupMeeting
from rapidreview.accounts.models import Role
from referrals.models import Case
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user
from themes import demo as themes_demo
from themes.benchmarking import MIN_OTHERS, benchmarks_for
from themes.models import CaseTheme, LearningItem, Theme
from themes.standard import STANDARD_THEMES
from themes.statistics import annual_statistics

pytestmark = pytest.mark.django_db

# The lead of each agency the action plan demo names, by the index of the agency in ``agency_list``.
LEADS = {"csc.lead": 1, "police.lead": 2, "barts": 4, "elft": 5, "gp": 6, "education": 7, "housing": 9,
         "youthjustice": 11, "earlyhelp": 12}


def _context():
    tower_hamlets = default_partnership()
    hackney = make_partnership("City & Hackney Safeguarding Children Partnership", slug="city-and-hackney",
                               short_name="CHSCP")
    agencies = [AgencyFactory(name=f"Demo agency {n}", distribution_email=f"agency{n}@demo.test") for n in range(13)]
    tower_hamlets.agencies.add(*agencies)
    hackney.agencies.add(*agencies[:3])
    users = {"manager": make_user(Role.BUSINESS_UNIT, full_name="Sam Okafor"),
             "workinggroup": make_user(Role.WORKING_GROUP, full_name="Wendy Group")}
    for key, index in LEADS.items():
        users[key] = make_user(Role.AGENCY_LEAD, agency=agencies[index], full_name=key)
    return {"partnership": tower_hamlets, "partnerships": {"tower-hamlets": tower_hamlets, "city-and-hackney": hackney},
            "neighbour_users": {"manager": make_user(Role.BUSINESS_UNIT, partnership=hackney)},
            "users": users, "agency_list": agencies, "cases": {}}


def _counts():
    return (Case.objects.count(), CaseTheme.objects.count(), Theme.objects.count(), LearningItem.objects.count(),
            Action.objects.count(), WorkingGroupMeeting.objects.count())


def test_the_ledger_demos_load_into_the_demo_partnerships_and_load_twice_without_doubling():
    context = _context()
    tower_hamlets, hackney = context["partnership"], context["partnerships"]["city-and-hackney"]
    themes_demo.load(context)
    actionplan_demo.load(context)
    first = _counts()
    themes_demo.load({**context, "cases": {}})
    actionplan_demo.load({**context, "cases": {}})
    assert _counts() == first

    assert Theme.objects.filter(partnership=hackney).count() == len(STANDARD_THEMES)
    # Each recorded theme is on the list of the partnership leading its case.
    assert not CaseTheme.objects.exclude(theme__partnership=F("case__partnership")).exists()
    assert set(LearningItem.objects.values_list("partnership", flat=True)) == {tower_hamlets.pk}
    assert Action.objects.filter(partnership=tower_hamlets).count() > 10
    assert Action.objects.filter(partnership=hackney).count() == 1
    assert set(WorkingGroupMeeting.objects.values_list("partnership", flat=True)) == {tower_hamlets.pk}

    year = Case.objects.filter(partnership=hackney).latest("sin_notified_on").sin_notified_on.year
    funnel = next(s for s in annual_statistics(year, partnership=hackney)["sections"] if s["key"] == "funnel")
    assert any(row["value"] for row in funnel["rows"]), "City & Hackney has figures of its own"

    tower_hamlets.refresh_from_db()
    hackney.refresh_from_db()
    assert tower_hamlets.shares_benchmarks and hackney.shares_benchmarks
    bench = benchmarks_for(hackney)
    assert bench["sharing"] and bench["others"] == 1 and not bench["shown"] and MIN_OTHERS == 3
    rows = {row["label"]: row["own"] for section in bench["sections"] for row in section["rows"]}
    assert rows["Rapid reviews held (panel met)"] != "0"
