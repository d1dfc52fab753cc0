import pytest
from django.core.management import CommandError, call_command

from rapidreview.accounts.models import Agency, Role, RoleAssignment, User


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
