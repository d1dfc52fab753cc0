from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "themes"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="themes:list", http_method_names=["get", "head"]), name="index"),
    path("practice/", views.theme_list, name="list"),
    path("practice/new/", views.theme_create, name="create"),
    path("practice/<uuid:theme_id>/change/", views.theme_edit, name="edit"),
    path("practice/<uuid:theme_id>/active/", views.theme_toggle, name="toggle"),
    path("practice/log/<slug:log>/", views.theme_log, name="log"),
    path("practice/cases/<uuid:case_id>/<slug:log>/", views.case_themes_record, name="case_record"),
    path("practice/report/", views.theme_report, name="report"),
    path("practice/report.csv", views.theme_report_csv, name="report_csv"),
    path("learning/", views.learning_list, name="learning"),
    path("learning/new/<slug:kind>/", views.learning_create, name="learning_create"),
    path("learning/<uuid:item_id>/", views.learning_detail, name="learning_detail"),
    path("learning/<uuid:item_id>/change/", views.learning_edit, name="learning_edit"),
    path("learning/<uuid:item_id>/follow-up-done/", views.learning_follow_up_done, name="learning_follow_up_done"),
    path("learning/<uuid:item_id>/send/", views.bulletin_send, name="bulletin_send"),
    path("learning/<uuid:item_id>/bulletin.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export.csv", views.statistics_export, {"fmt": "csv"}, name="statistics_csv"),
    path("statistics/export.xlsx", views.statistics_export, {"fmt": "xlsx"}, name="statistics_xlsx"),
]
