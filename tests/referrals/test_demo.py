"""The referrals demo: Tower Hamlets' cases at every stage, one cross-border case City & Hackney takes part in, and
two cases of City & Hackney's own (one waiting for threshold, one notified about a Tower Hamlets child)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client

from panels.selectors import cluster_alert
from rapidreview.accounts.models import User
from referrals import demo
from referrals.models import Case, CaseParticipation, Stage
from referrals.selectors import visible_cases
from tests.factories import default_partnership

pytestmark = pytest.mark.django_db


def test_without_the_core_demos_two_partnerships_it_refuses_before_writing_anything():
    with pytest.raises(ImproperlyConfigured, match="city-and-hackney"):
        demo.load({"users": {}, "agencies": {}, "partnership": default_partnership()})
    assert not Case.objects.exists()


def test_the_cross_border_case_is_led_by_tower_hamlets_with_city_and_hackney_taking_part():
    call_command("load_demo")
    cross_border = Case.objects.get(child_first_name=demo.CROSS_BORDER[0], child_last_name=demo.CROSS_BORDER[1])
    assert cross_border.partnership.slug == "tower-hamlets" and cross_border.stage == Stage.RAPID_REVIEW
    assert cross_border.reference.startswith("THSCP-")
    taking_part = CaseParticipation.objects.get(case=cross_border)
    assert taking_part.partnership.slug == "city-and-hackney" and taking_part.ended_at is None
    own = Case.objects.get(child_first_name=demo.HACKNEY_OWN[0], child_last_name=demo.HACKNEY_OWN[1])
    assert own.partnership.slug == "city-and-hackney" and own.stage == Stage.THRESHOLD
    assert own.reference.startswith("CHSCP-")
    notified = Case.objects.get(child_first_name=demo.HACKNEY_NOTIFIED[0], child_last_name=demo.HACKNEY_NOTIFIED[1])
    assert notified.partnership.slug == "city-and-hackney" and notified.stage == Stage.RAPID_REVIEW
    assert not Case.objects.filter(partnership__slug="city-and-hackney").exclude(
        pk__in=[own.pk, notified.pk]).exclude(reference__startswith="RR-").exists()  # the themes demo's history aside

    ch_manager = User.objects.get(email="ch.manager@demo.test")
    ch_manager.act_in(own.partnership)
    seen = set(visible_cases(ch_manager).values_list("pk", flat=True))
    assert {cross_border.pk, own.pk} <= seen
    assert not Case.objects.filter(pk__in=seen, partnership__slug="tower-hamlets").exclude(pk=cross_border.pk).exists()


def test_tower_hamlets_rapid_reviews_show_city_and_hackneys_notification_about_a_tower_hamlets_child():
    """The cross-partnership cluster alert in the demo: the partnership, the date and whom to call, never the child
    or the reference (issue 18 §5)."""
    call_command("load_demo")
    jasper = Case.objects.get(child_first_name="Jasper", child_last_name="Wellbeck")
    manager = User.objects.get(email="manager@demo.test")
    manager.act_in(jasper.partnership)
    alert = cluster_alert(manager, jasper)
    [neighbour] = alert["neighbours"]
    assert neighbour["partnership"].slug == "city-and-hackney"
    client = Client()
    client.force_login(manager)
    page = client.get(jasper.get_absolute_url()).content.decode()
    assert "City &amp; Hackney Safeguarding Children Partnership, notified" in page
    notified = Case.objects.get(child_first_name=demo.HACKNEY_NOTIFIED[0])
    assert demo.HACKNEY_NOTIFIED[1] not in page and notified.reference not in page


def test_loading_it_twice_changes_nothing():
    call_command("load_demo")
    before = (Case.objects.count(), CaseParticipation.objects.count())
    call_command("load_demo")
    assert (Case.objects.count(), CaseParticipation.objects.count()) == before
