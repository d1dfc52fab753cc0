"""Sign-in lockout: per e-mail address and network address together, and a higher limit per network address.

Counting failures per e-mail address alone lets anyone lock a victim out from anywhere; counting per network
address alone locks a whole office behind one NAT address when one person mistypes. So django-axes counts
failures for each (e-mail address, network address) pair (``AXES_LOCKOUT_PARAMETERS``) and locks that pair at
``AXES_FAILURE_LIMIT``; this handler adds a separate, higher limit on all failures from one network address
(``AXES_ADDRESS_FAILURE_LIMIT``), against someone trying many accounts. Both are counted in the database, so a
cache outage does not switch them off. Issue 21, finding 5.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str | None) -> int:
    """Failed sign-ins from ``ip_address`` within the cool-off period, whatever e-mail address was typed."""
    if not ip_address:
        return 0
    since = timezone.now() - get_cool_off(None)
    total = (AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
             .aggregate(total=Sum("failures_since_start"))["total"])
    return total or 0


def address_locked(request) -> bool:
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return address_failures(ip_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class PairAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler, also locking a network address at its own, higher limit."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """Record the failure for the pair as django-axes does, then lock the request if its address is over."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False) and address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
