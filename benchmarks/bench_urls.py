"""The project's URLs, with a default ModelAdmin for cases (see bench_settings).

The admin is registered before ``rapidreview.urls`` is imported: ``admin.site.urls`` is read when that module
loads, so a model registered afterwards would answer 404.
"""

from django.contrib import admin

from referrals.models import Case


class CaseAdmin(admin.ModelAdmin):
    """What a team would configure in ten minutes: columns, filters and a search box."""

    list_display = ["reference", "stage", "source", "child_first_name", "child_last_name", "sin_notified_on",
                    "created_at"]
    list_filter = ["stage", "source"]
    search_fields = ["reference", "child_last_name"]


if not admin.site.is_registered(Case):
    admin.site.register(Case, CaseAdmin)

from rapidreview.urls import handler403, handler404, handler500, urlpatterns  # noqa: E402, F401
