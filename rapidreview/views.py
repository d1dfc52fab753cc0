"""The shell's own pages: the home dashboard, the combined "What needs me" across partnerships, health check,
static information pages and error pages."""

import re
import threading
import time

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError as KombuOperationalError

from rapidreview.accounts.selectors import partnerships_of
from rapidreview.celery import app as celery_app
from rapidreview.registry import cards_for
from rapidreview.templatetags.govuk import in_partnership


@require_GET
def home(request):
    """'What needs me now': the cards each stage app registers for this user's roles in the acting partnership."""
    return render(request, "home.html", {"cards": cards_for(request), "roles": request.user.active_roles})


# A link inside the service (href="/..."), and its fragment if any.
_LOCAL_LINK = re.compile(r'href="(/[^"#]*)(#[^"]*)?"')


def _links_in(html: str, partnership) -> str:
    """Every link to a page of the service in ``html`` opens in ``partnership`` (``?partnership=<slug>``)."""
    def carry(match):
        url = in_partnership(match.group(1), partnership).replace("&partnership=", "&amp;partnership=")
        return f'href="{url}{match.group(2) or ""}"'

    return _LOCAL_LINK.sub(carry, html)


def partnership_cards(request, partnership) -> list[str]:
    """The dashboard cards ``request.user`` would see acting in ``partnership``, rendered there (a card may ask
    what the reader may open) with every link carrying the partnership. Acts in it for the while, then goes back."""
    acting = request.partnership
    request.partnership = partnership
    request.user.act_in(partnership)
    try:
        rendered = [render_to_string(card["template"], {"card": card["context"], "user": request.user,
                                                        "partnership": partnership}) for card in cards_for(request)]
    finally:
        request.partnership = acting
        request.user.act_in(acting)
    # Autoescaped template output with only a slug (letters, digits, hyphens) added to its links.
    return [mark_safe(_links_in(html, partnership)) for html in rendered]  # noqa: S308  # nosec B308 B703


@require_GET
def what_needs_me(request):
    """What needs me across all my partnerships (issue 18): for each, the cards its home page would show me there,
    each naming the partnership, with links that open in it. Computed by the same cards as the home page."""
    sections = [{"partnership": partnership, "cards": partnership_cards(request, partnership)}
                for partnership in partnerships_of(request.user)]
    return render(request, "what_needs_me.html", {"sections": sections})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:  # refused, timed out or gone away: unreachable
        return False


# The broker's answer is kept this many seconds per process: a load balancer probes every few seconds per worker,
# and opening a broker connection for each probe doubled the cost of the cheapest request (issue 20). An outage still
# shows within this time.
BROKER_CHECK_SECONDS = 10.0
_broker_checked: dict[str, tuple[float, bool]] = {}
_broker_lock = threading.Lock()


def _broker_ok(url: str | None = None) -> bool:
    url = url or celery_app.conf.broker_url
    now = time.monotonic()
    checked = _broker_checked.get(url)
    if checked and now - checked[0] < BROKER_CHECK_SECONDS:
        return checked[1]
    with _broker_lock:
        ok = _connect_to_broker(url)
        _broker_checked[url] = (time.monotonic(), ok)
    return ok


def _connect_to_broker(url: str) -> bool:
    try:
        with celery_app.connection_for_write(url) as conn:
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
