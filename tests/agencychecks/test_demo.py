"""The agency checks demo on top of the two demo partnerships: forms on the joint cross-border case for the police
and the NHS trust that serve both and for City & Hackney's children's social care; loaded twice without change."""

from django.core.management import call_command
from django.urls import reverse

from agencychecks.models import AgencyCheckForm, FormStatus
from rapidreview.accounts.models import Partnership, User
from rapidreview.notifications.models import Notification
from referrals.models import CaseParticipation


def test_the_demo_issues_the_cross_border_forms_to_both_partnerships_agencies_and_loads_twice(client, db):
    call_command("load_demo")
    participation = CaseParticipation.objects.select_related("case__partnership", "partnership").get(
        partnership__slug="city-and-hackney", ended_at__isnull=True, case__partnership__slug="tower-hamlets")
    case = participation.case
    forms = {f.agency.name: f for f in AgencyCheckForm.objects.filter(case=case).select_related("agency")}
    assert set(forms) == {"Metropolitan Police", "East London NHS Foundation Trust",
                          "City & Hackney Children's Social Care"}
    assert forms["Metropolitan Police"].status == FormStatus.DRAFT
    hackney_csc = forms["City & Hackney Children's Social Care"]
    assert Notification.objects.filter(kind="agencychecks.issued", related_id=hackney_csc.pk).exists()
    counts = (AgencyCheckForm.objects.count(), Notification.objects.count())

    police = User.objects.get(email__startswith="police.lead@")
    client.force_login(police)
    hackney = Partnership.objects.get(slug="city-and-hackney")
    page = client.get(reverse("agencychecks:index") + f"?partnership={hackney.slug}").content.decode()
    assert str(forms["Metropolitan Police"].pk) in page
    assert client.get(reverse("agencychecks:form", args=[forms["Metropolitan Police"].pk])).status_code == 200

    call_command("load_demo")
    assert counts == (AgencyCheckForm.objects.count(), Notification.objects.count())
