"""Sign-in lockout (django-axes) for the e-mail sign-in form, and the signed-in user as every page reads them."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse sign-in while an address is locked out after repeated failures.

    Sign-in through the web always passes the request. Code that authenticates without one (a management command,
    a test's ``client.login``) has no address to count failures against, so this backend stands aside for it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials) -> str:
    """The name failures are counted against: the e-mail address as typed, trimmed and in lower case."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]


class AccountBackend(ModelBackend):
    """Django's password backend, reading the signed-in user with their agency.

    Every page's header names the agency of the person signed in, so reading it with the user saves a query on
    every request.
    """

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("agency").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
