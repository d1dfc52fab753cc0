"""Benchmarking across partnerships: opt-in, anonymised, and suppressed when too few others share (issue 18)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.signals import partnership_created
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_start
from referrals.models import CaseEvent, Stage, ThresholdDecision, ThresholdOutcome
from tests.factories import default_partnership, make_executive, make_partnership, make_user
from tests.themes.factories import CaseFactory
from themes.benchmarking import MIN_OTHERS, benchmarks_for
from themes.models import Theme, ThemeLog
from themes.services import case_log_themes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def figures_for(partnership, *, on_time=0, late=0, reviews=0, neglect=0, not_met=0, prefix="X"):
    """Give ``partnership`` SIN decisions (``on_time`` met by their due date, ``late`` after it), ``not_met``
    threshold decisions, ``reviews`` rapid reviews held, ``neglect`` of them with the theme Neglect."""
    actor = make_user(Role.BUSINESS_UNIT, partnership=partnership)
    due = TODAY - datetime.timedelta(days=20)
    for n in range(on_time + late + not_met):
        case = CaseFactory(partnership=partnership, reference=f"{prefix}-{n:03d}")
        outcome = ThresholdOutcome.NOT_MET if n >= on_time + late else ThresholdOutcome.MET
        ThresholdDecision.objects.create(case=case, discussed_on=due, la_participant=actor, decision_maker=actor,
                                         recorded_by=actor, outcome=outcome, rationale="Agreed.")
        if outcome == ThresholdOutcome.NOT_MET:
            continue
        clock = clock_start(kind=ClockKind.SIN_DECISION, subject=case, start=due - datetime.timedelta(days=7),
                            due=due, case_id=case.pk, partnership=partnership)
        met_on = due if n < on_time else due + datetime.timedelta(days=3)
        Clock.objects.filter(pk=clock.pk).update(state=ClockState.MET, met_at=_aware(met_on))
    for n in range(reviews):
        case = CaseFactory(partnership=partnership, reference=f"{prefix}-RR-{n:03d}")
        CaseEvent.objects.create(case=case, kind="stage", to_stage=Stage.DECISION, summary="Panel met")
        if n < neglect:
            case_log_themes(case=case, themes=[Theme.objects.get(partnership=partnership, name="Neglect")],
                            log=ThemeLog.RAPID_REVIEW, actor=actor)
    return partnership


def sharing(name, **figures):
    partnership = make_partnership(name, shares_benchmarks=True)
    partnership_created.send(sender=Partnership, partnership=partnership, actor=None)
    return figures_for(partnership, prefix=name[:3].upper(), **figures)


@pytest.fixture
def own(db):
    partnership = default_partnership()
    partnership.shares_benchmarks = True
    partnership.save()
    return figures_for(partnership, on_time=3, late=1, reviews=4, neglect=2, not_met=1, prefix="OWN")


def _page(client, user):
    client.force_login(user)
    response = client.get(reverse("themes:benchmarking"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_partnership_that_does_not_share_sees_why_and_where_to_change_it(client):
    sharing("Alpha Partnership", on_time=2)
    body = _page(client, make_user(Role.BUSINESS_UNIT))
    assert "does not share its figures" in body and f'href="{reverse("accounts:partnership")}"' in body
    assert "Alpha Partnership" not in body and "Others: lowest" not in body and "Timeliness" not in body
    body = _page(client, make_executive("police"))
    assert "The business unit can choose to take part" in body and reverse("accounts:partnership") not in body


def test_with_fewer_than_three_others_sharing_the_spread_is_suppressed_and_the_page_says_why(client, own):
    sharing("Alpha Partnership", on_time=2)
    sharing("Bravo Partnership", late=2)
    make_partnership("Charlie Partnership", shares_benchmarks=False)
    body = _page(client, make_user(Role.BUSINESS_UNIT))
    assert 'id="suppressed"' in body and f"fewer than {MIN_OTHERS} other partnerships share" in body
    assert "(2 do)" in body
    assert "75% (3 of 4)" in body  # its own figures are still shown
    assert "Others: lowest" not in body
    for other in ("Alpha", "Bravo", "Charlie", "ALP-", "BRA-"):
        assert other not in body


def test_the_spread_of_three_sharing_partnerships_is_shown_without_names_or_cases(client, own):
    sharing("Alpha Partnership", on_time=2, reviews=2, neglect=2)  # 100% on time, Neglect in 100%
    sharing("Bravo Partnership", on_time=1, late=1, reviews=4, neglect=1)  # 50%, Neglect in 25%
    sharing("Charlie Partnership", late=2, reviews=1)  # 0%, no Neglect
    delta = make_partnership("Delta Partnership")  # does not share
    partnership_created.send(sender=Partnership, partnership=delta, actor=None)
    figures_for(delta, late=9, reviews=9, neglect=9, prefix="DEL")
    bench = benchmarks_for(own)
    assert bench["sharing"] and bench["shown"] and bench["others"] == 3
    rows = {row["label"]: row for section in bench["sections"] for row in section["rows"]}
    sin = rows["Serious Incident Notification decisions made within 5 working days"]
    assert sin["own"] == "75% (3 of 4)"
    assert (sin["spread"].low, sin["spread"].median, sin["spread"].high) == (0.0, 0.5, 1.0)
    assert rows["Threshold not met"]["own"] == "1"
    assert (rows["Rapid reviews held (panel met)"]["spread"].low,
            rows["Rapid reviews held (panel met)"]["spread"].high) == (1, 4)
    neglect = rows["Neglect"]
    assert neglect["own"] == "50% (2 of 4)"
    assert (neglect["spread"].low, neglect["spread"].median, neglect["spread"].high) == (0.0, 0.25, 1.0)

    body = _page(client, make_user(Role.BUSINESS_UNIT))
    assert "Others: lowest" in body and "Others: median" in body and 'id="suppressed"' not in body
    for other in ("Alpha", "Bravo", "Charlie", "Delta", "ALP-", "BRA-", "CHA-", "DEL-"):
        assert other not in body, other


def test_a_figure_too_few_others_have_is_not_shown_alone(client, own):
    sharing("Alpha Partnership", on_time=2)
    sharing("Bravo Partnership", reviews=1)
    sharing("Charlie Partnership", reviews=1)
    rows = {row["label"]: row for section in benchmarks_for(own)["sections"] for row in section["rows"]}
    sin = rows["Serious Incident Notification decisions made within 5 working days"]["spread"]
    assert not sin.shown and sin.contributors == 1 and sin.low is None
    assert "fewer than 3 other partnerships have this figure" in _page(client, make_user(Role.BUSINESS_UNIT))


def test_benchmarking_is_for_the_business_unit_and_executives_in_the_nav_and_read_only(client, own):
    body = _page(client, make_executive("health"))
    assert f'href="{reverse("themes:benchmarking")}"' in body
    client.force_login(make_user(Role.AGENCY_LEAD))
    assert client.get(reverse("themes:benchmarking")).status_code == 403
    client.force_login(make_user(Role.BUSINESS_UNIT))
    assert client.post(reverse("themes:benchmarking")).status_code == 405
