from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password-reset/", views.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChange.as_view(), name="password_change"),
    path("account/authenticator/", views.mfa_setup, name="mfa_setup"),
    path("account/authenticator/backup-codes/", views.mfa_backup_codes, name="mfa_backup_codes"),
    path("verify/", views.mfa_verify, name="mfa_verify"),
    path("confirm-its-you/", views.reauthenticate, name="reauthenticate"),
    path("partnership/", views.partnership_edit, name="partnership"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<uuid:person_id>/", views.person_detail, name="person"),
    path("people/<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person_id>/roles/new/", views.role_add, name="role_add"),
    path("roles/<uuid:assignment_id>/end/", views.role_remove, name="role_end"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", views.agency_edit, name="agency_new"),
    path("agencies/<uuid:agency_id>/", views.agency_edit, name="agency_edit"),
]
