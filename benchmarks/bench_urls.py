"""The project's URLs, with a default ModelAdmin for cases (see bench_settings) and the benchmark's floor.

The admin is registered before ``rapidreview.urls`` is imported: ``admin.site.urls`` is read when that module
loads, so a model registered afterwards would answer 404.
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from referrals.models import Case


class CaseAdmin(admin.ModelAdmin):
    """What a team would configure in ten minutes: columns, filters and a search box."""

    list_display = ["reference", "stage", "source", "child_first_name", "child_last_name", "sin_notified_on",
                    "created_at"]
    list_filter = ["stage", "source"]
    search_fields = ["reference", "child_last_name"]
    # Like for like with our case list (issue 20): 25 rows a page, newest first.
    list_per_page = 25
    ordering = ["-created_at"]


if not admin.site.is_registered(Case):
    admin.site.register(Case, CaseAdmin)

from rapidreview.urls import handler403, handler404, handler500  # noqa: E402, F401
from rapidreview.urls import urlpatterns as project_urlpatterns  # noqa: E402


@require_GET
def floor(request):
    """The floor every page is measured against: a signed-in request through the whole middleware stack (session,
    authentication, partnership, security headers, audit) whose view does nothing."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urlpatterns]
