"""Issue 19 item 5: the business unit keeps its partnership's Lead Safeguarding Partners (Working Together 2023) and
the executives who act for them as Delegated Safeguarding Partners; the chair's and scrutineer's addresses and the
education note are partnership settings."""

import pytest

from rapidreview.accounts.forms import LeadPartnerForm
from rapidreview.accounts.models import LeadSafeguardingPartner, Role, StatutoryPartner
from rapidreview.accounts.services import lead_partner_save
from rapidreview.db import DomainError
from tests.factories import default_partnership, make_executive, make_partnership, make_user
from tests.forms_as_rendered import accepted, page_form

pytestmark = pytest.mark.django_db


def test_the_business_unit_names_a_lead_partner_and_their_delegate(bu_client):
    police = make_executive(StatutoryPartner.POLICE)
    form = page_form(bu_client, "/accounts/lead-partners/new/")
    accepted(form.fill(partner=StatutoryPartner.POLICE, name="Gareth Pellow", title="Commissioner",
                       organisation="Metropolitan Police Service", delegates=[police]).submit())
    lead = LeadSafeguardingPartner.objects.get()
    assert lead.partnership == default_partnership() and list(lead.delegates.all()) == [police]
    page = bu_client.get("/accounts/lead-partners/").content.decode()
    assert "Gareth Pellow" in page and police.full_name in page


def test_only_the_partnerships_own_executives_are_offered_as_delegates(bu_client):
    ours = make_executive(StatutoryPartner.HEALTH)
    theirs = make_executive(StatutoryPartner.HEALTH, partnership=make_partnership("Neighbouring SCP"))
    panel_member = make_user(Role.PANEL_MEMBER)
    offered = {value for value, _ in page_form(bu_client, "/accounts/lead-partners/new/").options("delegates")}
    assert str(ours.pk) in offered
    assert str(theirs.pk) not in offered and str(panel_member.pk) not in offered


def test_a_second_lead_for_the_same_partner_is_refused(business_unit):
    partnership = default_partnership()
    LeadSafeguardingPartner.objects.create(partnership=partnership, partner=StatutoryPartner.LOCAL_AUTHORITY,
                                           name="A", title="Chief Executive", organisation="Council")
    form = LeadPartnerForm({"partner": StatutoryPartner.LOCAL_AUTHORITY, "name": "B", "title": "Chief Executive",
                            "organisation": "Council"}, partnership=partnership)
    assert form.is_valid(), form.errors
    with pytest.raises(DomainError, match="already has a lead partner"):
        lead_partner_save(form=form, partnership=partnership, actor=business_unit)
    assert LeadSafeguardingPartner.objects.count() == 1


def test_another_partnerships_lead_partner_is_not_found_and_is_not_changed(bu_client):
    other = LeadSafeguardingPartner.objects.create(
        partnership=make_partnership("Neighbouring SCP"), partner=StatutoryPartner.POLICE, name="Their Chief",
        title="Chief Constable", organisation="Their Police")
    assert bu_client.get(f"/accounts/lead-partners/{other.pk}/").status_code == 404
    response = bu_client.post(f"/accounts/lead-partners/{other.pk}/", {
        "partner": StatutoryPartner.POLICE, "name": "Changed", "title": "x", "organisation": "y"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Their Chief"
    assert "Their Chief" not in bu_client.get("/accounts/lead-partners/").content.decode()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.RR_CHAIR, Role.PANEL_MEMBER])
def test_other_roles_cannot_keep_the_lead_partners_and_nothing_changes(client, role):
    client.force_login(make_user(role))
    assert client.get("/accounts/lead-partners/").status_code == 403
    response = client.post("/accounts/lead-partners/new/", {
        "partner": StatutoryPartner.POLICE, "name": "X", "title": "Y", "organisation": "Z"})
    assert response.status_code == 403
    assert not LeadSafeguardingPartner.objects.exists()


def test_the_lead_partner_pages_refuse_other_methods(bu_client):
    assert bu_client.post("/accounts/lead-partners/").status_code == 405
    assert bu_client.delete("/accounts/lead-partners/new/").status_code == 405


def test_the_chair_scrutineer_interval_and_education_position_are_partnership_settings(bu_client):
    form = page_form(bu_client, "/accounts/partnership/")
    assert form.controls["cspr_checkpoint_weeks"].value == "6"
    accepted(form.fill(chair_name="Pat Chair", chair_email="chair@example.org", scrutineer_name="Sam Scrutineer",
                       scrutineer_email="scrutineer@example.org", cspr_checkpoint_weeks="4",
                       education_mandatory=True,
                       education_participation_note="Schools sit on every rapid review panel.").submit())
    partnership = default_partnership()
    assert (partnership.chair_email, partnership.scrutineer_email) == ("chair@example.org", "scrutineer@example.org")
    assert partnership.cspr_checkpoint_weeks == 4 and partnership.education_mandatory


def test_a_delegate_id_too_large_for_the_database_is_an_error_on_the_page_not_a_server_error(bu_client):
    response = bu_client.post("/accounts/lead-partners/new/", {
        "partner": StatutoryPartner.POLICE, "name": "X", "title": "Y", "organisation": "Z",
        "delegates": "99999999999999999999"})
    assert response.status_code in (200, 400) and "govuk-error-summary" in response.content.decode()
    assert not LeadSafeguardingPartner.objects.exists()
