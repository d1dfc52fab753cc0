"""Root URLs. Every page needs a signed-in user unless its view is marked ``login_not_required``."""

from django.contrib import admin
from django.urls import include, path

from rapidreview import views

handler403 = "rapidreview.views.error_403"
handler404 = "rapidreview.views.error_404"
handler500 = "rapidreview.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("what-needs-me/", views.what_needs_me, name="what_needs_me"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("rapidreview.accounts.urls")),
    path("deadlines/", include("rapidreview.clocks.urls")),
    path("outbox/", include("rapidreview.notifications.urls")),
    path("audit/", include("rapidreview.audit.urls")),
    path("partnership-export/", include("rapidreview.partnership_export.urls")),
    path("", include("referrals.urls")),
    path("panels/", include("panels.urls")),
    path("agency-checks/", include("agencychecks.urls")),
    path("decisions/", include("decisions.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("themes/", include("themes.urls")),
    path("django-admin/", admin.site.urls),
]
