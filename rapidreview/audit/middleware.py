"""Refusals are logged as well as views: a signed-in person who gets 403 or 404 leaves a row in the access log."""

from .models import AccessAction
from .services import access_log


class DeniedAccessLogMiddleware:
    """Write a DENIED access-log row for every 403 or 404 answered to a signed-in person.

    The row holds the path (opaque identifiers only, never a query string) and the address it came from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                access_log(request, action=AccessAction.DENIED)
        return response
