"""Writing the access log. Every app calls ``access_log`` for views of sensitive records."""

from django.db import models

from .models import AccessAction, AccessLog


def client_ip(request) -> str | None:
    # Behind a proxy, Django's SECURE_PROXY_SSL_HEADER setup trusts the proxy; take its first hop.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def access_log(request, *, action: str = AccessAction.VIEW, obj: models.Model | None = None,
               case_id=None) -> AccessLog:
    """Record that ``request.user`` did ``action`` on ``obj``. The path holds only opaque identifiers."""
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        path=request.path[:300],
        ip_address=client_ip(request),
    )
