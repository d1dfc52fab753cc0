from django.urls import path

from . import views

app_name = "actionplan"

urlpatterns = [
    path("", views.action_list, name="list"),
    path("export.csv", views.action_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views.action_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", views.action_create, name="create"),
    path("import/", views.import_upload, name="import"),
    path("import/check/", views.import_preview, name="import_preview"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("<uuid:action_id>/", views.action_detail, name="detail"),
    path("<uuid:action_id>/change/", views.action_edit, name="edit"),
    path("<uuid:action_id>/progress/", views.action_progress, name="progress"),
    path("<uuid:action_id>/confirm/", views.action_confirm, name="confirm"),
    path("<uuid:action_id>/send-back/", views.action_send_back, name="send_back"),
    path("<uuid:action_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("<uuid:action_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
]
