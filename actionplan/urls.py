from django.urls import path

from .views import actions, imports, meetings, plan, progress

app_name = "actionplan"

urlpatterns = [
    path("", plan.action_list, name="list"),
    path("export.csv", plan.action_export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", plan.action_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", actions.action_create, name="create"),
    path("import/", imports.import_upload, name="import"),
    path("import/columns/", imports.import_columns, name="import_columns"),
    path("import/check/", imports.import_preview, name="import_preview"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<uuid:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("<uuid:action_id>/", actions.action_detail, name="detail"),
    path("<uuid:action_id>/change/", actions.action_edit, name="edit"),
    path("<uuid:action_id>/progress/", progress.action_progress, name="progress"),
    path("<uuid:action_id>/confirm/", progress.action_confirm, name="confirm"),
    path("<uuid:action_id>/send-back/", progress.action_send_back, name="send_back"),
    path("<uuid:action_id>/evidence/", progress.evidence_add, name="evidence_add"),
    path("<uuid:action_id>/evidence/<int:evidence_id>/", progress.evidence_download, name="evidence_download"),
]
