"""Cross-cutting HTTP behaviour."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render, resolve_url


class NoStoreForAuthenticatedMiddleware:
    """Pages about children must never sit in a shared or browser cache; idle sessions end.

    Every page gets ``Cache-Control: no-store`` unless its view set its own caching: signed-in pages, and the
    public ones too, because some hold what an anonymous person typed (the public referral's check page shows the
    child's and the referrer's details; issue 21, finding 10). Static files are served before this runs.

    A session idle for longer than ``SESSION_IDLE_SECONDS``, or older than ``SESSION_ABSOLUTE_SECONDS`` since
    sign-in (stamped by ``rapidreview.accounts.signals``), is ended and the user is sent to sign in again.
    Activity is stamped at most once every ``SESSION_TOUCH_SECONDS``, so that reading pages does not write the
    session each time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?timeout=1")
            # The 12-hour limit counts from sign-in, however active the session has been since.
            login_at = request.session.get("login_at")
            if login_at is None or now - float(login_at) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?expired=1")
            # Writing the session costs an UPDATE; once a minute is precise enough for a 30-minute limit.
            if now - last_seen >= settings.SESSION_TOUCH_SECONDS:
                request.session["last_seen"] = now
        response = self.get_response(request)
        if (user is not None and user.is_authenticated) or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features the service never uses (camera, microphone, location and so on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class MaintenanceMiddleware:
    """While ``MAINTENANCE_MODE`` is on (during an upgrade whose migrations the running code cannot work with),
    every page answers 503 with a page that says so, and ``/healthz`` answers 503 too, so a load balancer keeps
    traffic away. Static files are served before this runs. docs/operations.md, "Upgrading"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.MAINTENANCE_MODE:
            return self.get_response(request)
        response = render(request, "errors/maintenance.html", {"until": settings.MAINTENANCE_UNTIL}, status=503)
        response["Retry-After"] = "600"
        response["Cache-Control"] = "no-store"
        return response
