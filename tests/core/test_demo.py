from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from rapidreview.accounts.models import Agency, Role, RoleAssignment, User
from rapidreview.management.commands.load_demo import demo_apps


def _snapshot():
    return (
        sorted(User.objects.values_list("email", flat=True)),
        sorted(Agency.objects.values_list("name", flat=True)),
        RoleAssignment.objects.count(),
    )


@pytest.mark.django_db
def test_loading_the_demo_twice_gives_the_same_data():
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


@pytest.mark.django_db
def test_the_demo_has_a_user_for_every_role():
    call_command("load_demo")
    for role in Role.values:
        assert RoleAssignment.objects.filter(role=role).exists(), role


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_every_app_with_a_demo_module_declares_its_place_in_the_demo():
    """``load_demo`` finds demos through the app registry, so a demo module nobody declared would never load."""
    core = {"rapidreview", "rapidreview.clocks"}  # loaded first, by name: they build the context the others use
    with_demo = {c.name for c in apps.get_app_configs() if (Path(c.path) / "demo.py").exists()} - core
    assert {c.name for c in demo_apps()} == with_demo
    assert [c.name for c in demo_apps()] == ["referrals", "themes", "actionplan", "panels", "agencychecks",
                                             "decisions"]


@pytest.mark.django_db
def test_every_demo_agency_that_can_receive_a_check_form_has_a_safeguarding_lead():
    call_command("load_demo")
    with_leads = set(RoleAssignment.objects.filter(role=Role.AGENCY_LEAD, user__is_active=True)
                     .values_list("user__agency__name", flat=True))
    assert {"Tower Hamlets Safeguarding Children Partnership", "North East London Integrated Care Board"} <= with_leads
    assert set(Agency.objects.filter(is_active=True).values_list("name", flat=True)) <= with_leads
