from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:notification_id>/", views.detail, name="detail"),
    path("<int:notification_id>/resend/", views.resend, name="resend"),
]
