"""Sign-in lockout (django-axes) for the e-mail sign-in form."""

from axes.backends import AxesStandaloneBackend


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
