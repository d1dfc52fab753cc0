"""The shell's own pages: the home dashboard, health check, static information pages and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError as KombuOperationalError

from rapidreview.celery import app as celery_app
from rapidreview.registry import cards_for


@require_GET
def home(request):
    """'What needs me now': the cards each stage app registers for this user's roles."""
    return render(request, "home.html", {"cards": cards_for(request), "roles": request.user.active_roles})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:  # refused, timed out or gone away: unreachable
        return False


def _broker_ok(url: str | None = None) -> bool:
    try:
        with celery_app.connection_for_write(url or celery_app.conf.broker_url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except (KombuOperationalError, OSError):  # refused, timed out or unresolvable: unreachable
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **{k: "ok" if v else "down" for k, v in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_not_required
@require_GET
def privacy(request):
    return render(request, "pages/privacy.html")


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
