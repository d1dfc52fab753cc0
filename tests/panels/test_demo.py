"""The panels demo loads on top of the referrals demo, twice without change."""

from django.core.management import call_command

from panels import selectors
from panels.models import ConflictOfInterest, Panel, PanelInvitation, PanelState
from rapidreview.notifications.models import Notification


def test_the_demo_has_a_scheduled_panel_quorate_held_panels_and_a_cluster_and_loads_twice(db):
    call_command("load_demo")
    counts = (Panel.objects.count(), PanelInvitation.objects.count(), Notification.objects.count(),
              ConflictOfInterest.objects.count())
    assert Panel.objects.filter(state=PanelState.SCHEDULED).exists()
    assert Notification.objects.filter(kind="panels.invitation").exists()
    assert Panel.objects.filter(state=PanelState.HELD).count() == 4
    for panel in Panel.objects.filter(state=PanelState.HELD):
        assert selectors.quorum_status(panel).met, panel.case.reference
    assert selectors.active_clusters(partnership=Panel.objects.first().case.partnership)
    call_command("load_demo")
    assert counts == (Panel.objects.count(), PanelInvitation.objects.count(), Notification.objects.count(),
                      ConflictOfInterest.objects.count())
