from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.access_log_list, name="log"),
    path("cases/<uuid:case_id>/history/", views.case_history_view, name="case_history"),
    path("cases/<uuid:case_id>/legal-hold/", views.legal_hold_edit, name="legal_hold"),
    path("cases/<uuid:case_id>/legal-hold/remove/", views.legal_hold_release, name="legal_hold_remove"),
    path("retention/", views.retention, name="retention"),
    path("retention/<uuid:rule_id>/", views.retention_rule_edit, name="retention_rule"),
    path("retention/cases/<uuid:case_id>/propose/", views.retention_propose_view, name="retention_propose"),
    path("retention/proposals/<uuid:proposal_id>/confirm/", views.retention_confirm_view, name="retention_confirm"),
    path("retention/proposals/<uuid:proposal_id>/withdraw/", views.retention_withdraw_view,
         name="retention_withdraw"),
    path("subject-access/", views.subject_access, name="subject_access"),
]
