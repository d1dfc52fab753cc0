from django.urls import path

from . import views

app_name = "clocks"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("all/", views.all_deadlines, name="all"),
    path("<uuid:clock_id>/", views.detail, name="detail"),
    path("<uuid:clock_id>/change-due-date/", views.recalculate, name="recalculate"),
    path("non-working-days/", views.closures, name="closures"),
    path("non-working-days/<int:day_id>/remove/", views.closure_remove, name="closure_remove"),
]
