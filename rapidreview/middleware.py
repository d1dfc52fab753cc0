"""Cross-cutting HTTP behaviour."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url


class NoStoreForAuthenticatedMiddleware:
    """Pages about children must never sit in a shared or browser cache; idle sessions end.

    A signed-in page gets ``Cache-Control: no-store``. A session idle for longer than
    ``SESSION_IDLE_SECONDS`` is ended and the user is sent to sign in again.
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
            request.session["last_seen"] = now
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
