from django.urls import path

from .views import account, installation, partnership, people, signin

app_name = "accounts"

urlpatterns = [
    # Signing in and out, password reset
    path("login/", signin.SignInView.as_view(), name="login"),
    path("logout/", signin.SignOutView.as_view(), name="logout"),
    path("password-reset/", signin.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", signin.ResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", signin.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", signin.ResetCompleteView.as_view(), name="password_reset_complete"),
    # Your account and the second factor
    path("account/", account.account, name="account"),
    path("account/password/", account.PasswordChange.as_view(), name="password_change"),
    path("account/authenticator/", account.mfa_setup, name="mfa_setup"),
    path("account/authenticator/backup-codes/", account.mfa_backup_codes, name="mfa_backup_codes"),
    path("verify/", account.mfa_verify, name="mfa_verify"),
    path("confirm-its-you/", account.reauthenticate, name="reauthenticate"),
    # Which partnership you act in, and the combined "What needs me" across your partnerships
    path("partnership/switch/", account.switch_partnership, name="switch_partnership"),
    # The business unit's administration
    path("partnership/", partnership.partnership_edit, name="partnership"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/add-existing/", people.person_add_existing, name="person_add_existing"),
    path("people/<uuid:person_id>/", people.person_detail, name="person"),
    path("people/<uuid:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:person_id>/roles/new/", people.role_add, name="role_add"),
    path("roles/<uuid:assignment_id>/end/", people.role_remove, name="role_end"),
    path("lead-partners/", partnership.lead_partners_list, name="lead_partners"),
    path("lead-partners/new/", partnership.lead_partner_edit, name="lead_partner_new"),
    path("lead-partners/<uuid:lead_id>/", partnership.lead_partner_edit, name="lead_partner_edit"),
    path("agencies/", partnership.agencies, name="agencies"),
    path("agencies/new/", partnership.agency_edit, name="agency_new"),
    path("agencies/<uuid:agency_id>/", partnership.agency_edit, name="agency_edit"),
    path("agencies/<uuid:agency_id>/add/", partnership.agency_add, name="agency_add"),
    path("agencies/<uuid:agency_id>/remove/", partnership.agency_remove, name="agency_remove"),
    # The installation's administrator: partnerships and their first business unit user (never case content)
    path("installation/", installation.partnerships, name="installation"),
    path("installation/new/", installation.partnership_new, name="partnership_new"),
]
