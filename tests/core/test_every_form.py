"""Every form of the core (accounts, audit, deadlines), submitted as its page rendered it (tests/forms_as_rendered.py).

Among them: "Confirm it's you" with a security code, which the page did not show while MFA was on.
"""

import datetime
import re
import time

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapidreview.accounts.decorators import AUTH_AT_SESSION_KEY
from rapidreview.accounts.forms import (
    AgencyForm,
    ExistingPersonRoleForm,
    GovUKPasswordChangeForm,
    GovUKPasswordResetForm,
    GovUKSetPasswordForm,
    LeadPartnerForm,
    PartnershipCreateForm,
    PartnershipForm,
    PersonForm,
    ReauthenticateForm,
    RoleAssignmentForm,
    SignInForm,
    TokenForm,
)
from rapidreview.accounts.models import (
    Agency,
    LeadSafeguardingPartner,
    Partnership,
    Role,
    RoleAssignment,
    StatutoryPartner,
    User,
)
from rapidreview.audit.forms import AccessLogFilterForm, LegalHoldForm, RetentionRuleForm, SubjectAccessForm
from rapidreview.audit.models import RecordType, RetentionRule
from rapidreview.clocks.forms import NonWorkingDayForm, RecalculateForm
from rapidreview.clocks.models import NonWorkingDay
from tests.clocks.factories import make_clock
from tests.factories import (
    PASSWORD,
    default_partnership,
    make_executive,
    make_installation_admin,
    make_partnership,
    make_user,
)
from tests.forms_as_rendered import accepted, page_form, submits
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "seven lanterns over the quiet river"


def _code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@submits(SignInForm, TokenForm, ReauthenticateForm)
def test_a_person_with_an_authenticator_signs_in_and_confirms_its_them_with_a_code(client, settings):
    settings.MFA_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user(Role.BUSINESS_UNIT, email="mfa@example.test")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    accepted(page_form(client, "/accounts/login/").fill(username="mfa@example.test", password=PASSWORD).submit())
    accepted(page_form(client, "/accounts/verify/?next=/").fill(token=_code(device)).submit(), "/")

    session = client.session
    session[AUTH_AT_SESSION_KEY] = time.time() - 20 * 60
    session.save()
    form = page_form(client, "/accounts/confirm-its-you/?next=/accounts/account/")
    assert "token" in form, "with an authenticator, the page asks for a security code"
    form.fill(password=PASSWORD, token=_code(device, drift=1))
    accepted(form.submit(), "/accounts/account/")


@submits(TokenForm)
def test_a_person_sets_up_an_authenticator_app(client):
    user = make_user(Role.AGENCY_LEAD)
    client.force_login(user)
    form = page_form(client, "/accounts/account/authenticator/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = form.fill(token=_code(device)).submit()
    assert response.status_code == 200 and "backup codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed


@submits(GovUKPasswordResetForm, GovUKSetPasswordForm)
def test_a_person_resets_a_forgotten_password_from_the_e_mail(client, django_capture_on_commit_callbacks):
    user = make_user(Role.AGENCY_LEAD, email="forgot@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        accepted(page_form(client, "/accounts/password-reset/").fill(email="forgot@example.test").submit())
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    response = client.get(link)
    form = page_form(client, response["Location"] if response.status_code == 302 else link)
    accepted(form.fill(new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD).submit())
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@submits(GovUKPasswordChangeForm)
def test_a_person_changes_their_password(client):
    user = make_user(Role.AGENCY_LEAD)
    client.force_login(user)
    form = page_form(client, "/accounts/account/password/")
    accepted(form.fill(old_password=PASSWORD, new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD).submit())
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@submits(PartnershipForm, AgencyForm, PersonForm, RoleAssignmentForm, ExistingPersonRoleForm)
def test_the_business_unit_runs_the_partnership_its_agencies_people_and_roles(bu_client):
    form = page_form(bu_client, "/accounts/partnership/")
    accepted(form.fill(name="Riverside Safeguarding Children Partnership", shares_benchmarks=True).submit())
    assert default_partnership().name == "Riverside Safeguarding Children Partnership"

    form = page_form(bu_client, "/accounts/agencies/new/")
    accepted(form.fill(name="Riverside School", type=form.options("type")[1][0]).submit())
    agency = Agency.objects.get(name="Riverside School")
    accepted(page_form(bu_client, f"/accounts/agencies/{agency.pk}/").fill(name="Riverside Academy").submit())

    form = page_form(bu_client, "/accounts/people/new/")
    accepted(form.fill(full_name="Pat Person", email="pat@example.test", agency="Riverside Academy",
                       first_role=Role.AGENCY_LEAD).submit())
    person = User.objects.get(email="pat@example.test")
    accepted(page_form(bu_client, f"/accounts/people/{person.public_id}/edit/").fill(job_title="Nurse").submit())
    form = page_form(bu_client, f"/accounts/people/{person.public_id}/roles/new/")
    accepted(form.fill(role=Role.WORKING_GROUP, starts_on="2026-01-01").submit())
    assert RoleAssignment.objects.filter(user=person, role=Role.WORKING_GROUP).exists()

    elsewhere = make_user(Role.PANEL_MEMBER, email="nell@neighbour.test",
                          partnership=make_partnership("Neighbouring Safeguarding Children Partnership"))
    form = page_form(bu_client, "/accounts/people/add-existing/")
    accepted(form.fill(email="nell@neighbour.test", role=Role.AGENCY_LEAD, starts_on="2026-01-01").submit())
    assert elsewhere.has_role_in(default_partnership(), Role.AGENCY_LEAD)


@submits(LeadPartnerForm)
def test_the_business_unit_names_a_lead_safeguarding_partner_and_changes_their_delegates(bu_client):
    delegate = make_executive(StatutoryPartner.LOCAL_AUTHORITY)
    accepted(page_form(bu_client, "/accounts/lead-partners/new/").fill(
        partner=StatutoryPartner.LOCAL_AUTHORITY, name="Will Tuckley", title="Chief Executive",
        organisation="Tower Hamlets Council").submit())
    lead = LeadSafeguardingPartner.objects.get()
    accepted(page_form(bu_client, f"/accounts/lead-partners/{lead.pk}/").fill(delegates=[delegate]).submit())
    assert list(lead.delegates.all()) == [delegate]


@submits(PartnershipCreateForm)
def test_the_installations_administrator_adds_a_partnership(client):
    client.force_login(make_installation_admin())
    form = page_form(client, "/accounts/installation/new/")
    accepted(form.fill(name="City & Hackney Safeguarding Children Partnership", short_name="CHSCP",
                       slug="city-and-hackney", contact_email="chscp@example.test",
                       manager_email="ayesha@example.test", manager_name="Ayesha Patel").submit())
    assert User.objects.get(email="ayesha@example.test").has_role_in(
        Partnership.objects.get(slug="city-and-hackney"), Role.BUSINESS_UNIT)


@submits(AccessLogFilterForm, SubjectAccessForm, LegalHoldForm, RetentionRuleForm)
def test_the_business_unit_filters_the_access_log_searches_holds_and_sets_retention(bu_client, business_unit):
    form = page_form(bu_client, "/audit/")
    form.fill(user=business_unit, date_from=datetime.date(2026, 1, 1))
    assert form.submit().status_code == 200
    case = CaseFactory(child_first_name="Zebedee", partnership=default_partnership())
    response = page_form(bu_client, "/audit/subject-access/").fill(name="Zebedee").submit()
    assert response.status_code == 200 and case.reference in response.content.decode()
    accepted(page_form(bu_client, f"/audit/cases/{case.pk}/legal-hold/").fill(reason="An inquest is open").submit())
    rule = RetentionRule.for_type(RecordType.NOT_MET, partnership=default_partnership())
    accepted(page_form(bu_client, f"/audit/retention/{rule.pk}/").fill(years_after_closure=9).submit())
    rule.refresh_from_db()
    assert rule.years_after_closure == 9


@submits(RecalculateForm, NonWorkingDayForm)
def test_the_business_unit_moves_a_deadline_and_adds_a_non_working_day(bu_client):
    clock = make_clock()
    form = page_form(bu_client, f"/deadlines/{clock.pk}/change-due-date/")
    accepted(form.fill(due_on=datetime.date(2026, 3, 20), reason="The agency asked for more time").submit())
    clock.refresh_from_db()
    assert clock.due_on == datetime.date(2026, 3, 20)
    form = page_form(bu_client, "/deadlines/non-working-days/", containing="reason")
    accepted(form.fill(date=datetime.date(2027, 12, 29), reason="Office closed").submit())
    assert NonWorkingDay.objects.get(date=datetime.date(2027, 12, 29)).partnership == default_partnership()
