"""The public referral form at /refer/: no account, plain words, rate limited per address, with a honeypot.

A public referrer sees nothing of the case after sending: only the reference on the confirmation page (and in
the acknowledgement e-mail if they gave an address). A possible match with an existing case is not shown to
them; it is flagged on the case for the business unit instead.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.audit.services import client_ip
from rapidreview.db import DomainError

from ..forms import PublicReferralForm
from ..models import Source
from ..services import referral_submit

SESSION_KEY = "public_referral"
DONE_KEY = "public_referral_done"


def _rate_limited(request) -> bool:
    """Count this submission against the address; True when it is over the hourly limit."""
    key = f"public-referral-rate:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, 60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60 * 60)
        count = 1
    return count > settings.PUBLIC_REFERRAL_RATE_LIMIT


@login_not_required
@require_GET
def public_start(request):
    return render(request, "referrals/public_start.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def public_referral(request):
    stored = request.session.get(SESSION_KEY)
    if request.method == "POST":
        form = PublicReferralForm(request.POST)
        if form.is_spam():
            form.add_error(None, "We could not accept this form. Contact the business unit by e-mail instead.")
            return render(request, "referrals/public_form.html", {"form": form}, status=400)
        if form.is_valid():
            request.session[SESSION_KEY] = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
            return redirect("referrals:public_check")
    else:
        form = PublicReferralForm(MultiValueDict(stored)) if stored else PublicReferralForm()
    return render(request, "referrals/public_form.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_check(request):
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return redirect("referrals:public_referral")
    form = PublicReferralForm(MultiValueDict(stored))
    if not form.is_valid() or form.is_spam():
        return redirect("referrals:public_referral")
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "referrals/public_rate_limited.html", status=429)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        data["child_last_name"] = data.get("child_last_name") or ""
        try:
            case = referral_submit(source=Source.PUBLIC, data=data)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return render(request, "referrals/public_form.html", {"form": form})
        del request.session[SESSION_KEY]
        request.session[DONE_KEY] = {"reference": case.reference, "email": bool(data.get("referrer_email"))}
        return redirect("referrals:public_done")
    rows = [{"label": field.label, "value": _shown(field, form.cleaned_data.get(name))}
            for name, field in form.fields.items() if name != "website"]
    return render(request, "referrals/public_check.html", {"rows": rows, "change_url": reverse(
        "referrals:public_referral")})


def _shown(field, value) -> str:
    if value in (None, ""):
        return "Not given"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(dict(getattr(field, "choices", []) or []).get(value, value))


@login_not_required
@require_GET
def public_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("referrals:public_start")
    return render(request, "referrals/public_done.html", done)
