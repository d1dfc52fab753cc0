from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from rapidreview import demo
from rapidreview.accounts.models import Agency, Partnership, Role, RoleAssignment, User
from rapidreview.management.commands.load_demo import demo_apps
from tests.factories import default_partnership, make_user


def _snapshot():
    return (
        sorted(User.objects.values_list("email", flat=True)),
        sorted(Agency.objects.values_list("name", flat=True)),
        sorted(Partnership.objects.values_list("slug", flat=True)),
        RoleAssignment.objects.count(),
    )


@pytest.mark.django_db
def test_loading_the_demo_twice_gives_the_same_data():
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


@pytest.mark.django_db
def test_the_demo_has_a_user_for_every_role_in_each_partnership():
    call_command("load_demo")
    for slug in ("tower-hamlets", "city-and-hackney"):
        held = set(RoleAssignment.objects.filter(partnership__slug=slug).values_list("role", flat=True))
        assert set(Role.values) == held, slug


@pytest.mark.django_db
def test_the_demo_has_two_neighbouring_partnerships_and_the_contract_keys():
    context = demo.load()
    tower_hamlets, city_and_hackney = context["partnerships"]["tower-hamlets"], context["partnerships"][
        "city-and-hackney"]
    assert context["partnership"] == tower_hamlets
    assert tower_hamlets.name == "Tower Hamlets Safeguarding Children Partnership"
    assert city_and_hackney.name == "City & Hackney Safeguarding Children Partnership"
    assert Partnership.objects.count() == 2
    neighbours = context["neighbour_users"]
    assert neighbours["manager"].has_role_in(city_and_hackney, Role.BUSINESS_UNIT)
    assert neighbours["chair"].has_role_in(city_and_hackney, Role.RR_CHAIR)
    assert neighbours["threshold"].has_role_in(city_and_hackney, Role.THRESHOLD)
    assert neighbours["panel"].has_role_in(city_and_hackney, Role.PANEL_MEMBER)
    executives = [neighbours[k] for k in ("exec.la", "exec.health", "exec.police")]
    assert all(e.has_role_in(city_and_hackney, Role.EXECUTIVE) for e in executives)
    assert RoleAssignment.objects.filter(partnership=city_and_hackney, role=Role.EXECUTIVE, is_chair=True).count() == 1
    for person in neighbours.values():
        if person.email not in ("police.lead@demo.test", "elft@demo.test"):
            assert not person.role_assignments.filter(partnership=tower_hamlets).exists(), person.email
    own = {a.name for a in city_and_hackney.agencies.all()}
    assert {"City & Hackney Children's Social Care", "Homerton Healthcare NHS Foundation Trust",
            "Metropolitan Police", "East London NHS Foundation Trust"} <= own
    assert "Barts Health NHS Trust" not in own


@pytest.mark.django_db
def test_the_police_and_mental_health_trust_leads_serve_both_partnerships():
    context = demo.load()
    for email, agency in (("police.lead@demo.test", "Metropolitan Police"),
                          ("elft@demo.test", "East London NHS Foundation Trust")):
        person = User.objects.get(email=email)
        assert person.agency.name == agency
        assert {p.slug for p in context["partnerships"].values() if person.has_role_in(p, Role.AGENCY_LEAD)} == {
            "tower-hamlets", "city-and-hackney"}
        assert all(agency in {a.name for a in p.agencies.all()} for p in context["partnerships"].values())


@pytest.mark.django_db
def test_a_database_from_before_partnerships_keeps_its_one_partnership_as_tower_hamlets():
    legacy = default_partnership()
    person = make_user(Role.BUSINESS_UNIT, partnership=legacy)
    context = demo.load()
    assert context["partnership"].pk == legacy.pk and context["partnership"].slug == "tower-hamlets"
    assert person.role_assignments.get().partnership_id == legacy.pk
    assert Partnership.objects.count() == 2


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
def test_every_demo_agency_that_can_receive_a_check_form_has_a_safeguarding_lead_in_each_of_its_partnerships():
    call_command("load_demo")
    for partnership in Partnership.objects.all():
        with_leads = set(RoleAssignment.objects.filter(role=Role.AGENCY_LEAD, user__is_active=True,
                                                       partnership=partnership)
                         .values_list("user__agency__name", flat=True))
        agencies = set(partnership.agencies.filter(is_active=True).values_list("name", flat=True))
        assert agencies and agencies <= with_leads, (partnership.slug, agencies - with_leads)
    assert {"Tower Hamlets Safeguarding Children Partnership", "North East London Integrated Care Board"} <= set(
        RoleAssignment.objects.filter(role=Role.AGENCY_LEAD).values_list("user__agency__name", flat=True))
    assert not Agency.objects.filter(is_active=True, partnerships=None).exists()
