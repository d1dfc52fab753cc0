"""The public referral form at /refer/: no account, plain words, rate limited per address, with a honeypot.

A public referrer sees nothing of the case after sending: only the reference on the confirmation page (and in
the acknowledgement e-mail if they gave an address). A possible match with an existing case is not shown to
them; it is flagged on the case for the business unit instead.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.audit.services import client_ip
from rapidreview.db import DomainError
from rapidreview.ratelimit import hit

from ..forms import PublicReferralForm
from ..models import Source
from ..services import referral_submit

SESSION_KEY = "public_referral"
DONE_KEY = "public_referral_done"


def _rate_limited(request, what: str, limit: int) -> bool:
    """Count this request against the client's address; True when it is over the hourly ``limit``."""
    return hit(f"public-referral-{what}:{client_ip(request) or 'unknown'}", limit=limit, window=60 * 60)


def _own_fields(form, data) -> dict:
    """Only what the form itself reads from ``data`` (the date boxes are three keys each), never other keys."""
    stored = {}
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        widget = field.widget
        keys = [f"{html_name}{suffix}" for suffix in widget.widgets_names] if hasattr(widget, "widgets_names") \
            else [html_name]
        for key in keys:
            if key in data:
                stored[key] = data.getlist(key)[:1]
    return stored


@login_not_required
@require_GET
def public_start(request):
    return render(request, "referrals/public_start.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def public_referral(request):
    stored = request.session.get(SESSION_KEY)
    if request.method == "POST":
        # Before anything is kept: every accepted post writes a session row (finding 7).
        if _rate_limited(request, "draft", settings.PUBLIC_REFERRAL_DRAFT_RATE_LIMIT):
            return render(request, "referrals/public_rate_limited.html", {"kept": False}, status=429)
        form = PublicReferralForm(request.POST)
        if form.is_spam():
            form.add_error(None, "We could not accept this form. Contact the business unit by e-mail instead.")
            return render(request, "referrals/public_form.html", {"form": form}, status=400)
        if form.is_valid():
            # The form's own fields only, each within its maximum length (the form refuses longer values).
            request.session[SESSION_KEY] = _own_fields(form, request.POST)
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
        if _rate_limited(request, "submit", settings.PUBLIC_REFERRAL_RATE_LIMIT):
            return render(request, "referrals/public_rate_limited.html", {"kept": True}, status=429)
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
