from django.urls import path

from . import views

app_name = "partnership_export"

urlpatterns = [
    path("", views.exports, name="exports"),
    path("new/", views.export_request_view, name="request"),
    path("<uuid:export_id>/", views.export_detail, name="export"),
    path("<uuid:export_id>/confirm/", views.export_confirm_view, name="confirm"),
    path("<uuid:export_id>/withdraw/", views.export_withdraw_view, name="withdraw"),
    path("<uuid:export_id>/download/", views.export_download, name="download"),
    path("import/", views.import_start, name="import_start"),
    path("import/<uuid:import_id>/", views.import_confirm, name="import"),
    path("import/<uuid:import_id>/cancel/", views.import_cancel_view, name="import_cancel"),
    path("import/<uuid:import_id>/done/", views.import_done, name="import_done"),
]
