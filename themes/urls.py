from django.urls import path
from django.views.generic import RedirectView

from .views import benchmarking, learning, logs, report, statistics, themes

app_name = "themes"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="themes:list", http_method_names=["get", "head"]), name="index"),
    # The themes, the logs and the report
    path("practice/", themes.theme_list, name="list"),
    path("practice/new/", themes.theme_create, name="create"),
    path("practice/<uuid:theme_id>/change/", themes.theme_edit, name="edit"),
    path("practice/<uuid:theme_id>/active/", themes.theme_toggle, name="toggle"),
    path("practice/log/<slug:log>/", logs.theme_log, name="log"),
    path("practice/cases/<uuid:case_id>/<slug:log>/", logs.case_themes_record, name="case_record"),
    path("practice/report/", report.theme_report, name="report"),
    path("practice/report.csv", report.theme_report_csv, name="report_csv"),
    # Learning
    path("learning/", learning.learning_list, name="learning"),
    path("learning/new/<slug:kind>/", learning.learning_create, name="learning_create"),
    path("learning/cases/<uuid:case_id>/route/", learning.learning_route_start, name="learning_route_start"),
    path("learning/<uuid:item_id>/", learning.learning_detail, name="learning_detail"),
    path("learning/<uuid:item_id>/change/", learning.learning_edit, name="learning_edit"),
    path("learning/<uuid:item_id>/follow-up-done/", learning.learning_follow_up_done,
         name="learning_follow_up_done"),
    path("learning/<uuid:item_id>/send/", learning.bulletin_send, name="bulletin_send"),
    path("learning/<uuid:item_id>/bulletin.pdf", learning.bulletin_pdf, name="bulletin_pdf"),
    # Annual statistics
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/export.csv", statistics.statistics_export, {"fmt": "csv"}, name="statistics_csv"),
    path("statistics/export.xlsx", statistics.statistics_export, {"fmt": "xlsx"}, name="statistics_xlsx"),
    path("statistics/annual-statistics.pdf", statistics.statistics_pdf, name="statistics_pdf"),
    # Benchmarking across partnerships (opt-in)
    path("benchmarking/", benchmarking.benchmarking_page, name="benchmarking"),
]
