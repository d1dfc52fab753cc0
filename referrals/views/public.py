"""The public referral form: no account, plain words, rate limited per address, with a honeypot.

``/refer/`` asks which area it happened in (each active partnership on the installation); the form then lives at
the partnership's own address, ``/refer/<slug>/``, whose pages name that partnership, and the case it makes is that
partnership's. With one partnership on the installation, ``/refer/`` is its start page, and the addresses from
before partnerships (``/refer/form/``, ``/refer/check/``, ``/refer/done/``) still work: they follow the partnership
of the referral in progress, else the only one, else send the person to choose.

A public referrer sees nothing of the case after sending: only the reference on the confirmation page (and in
the acknowledgement e-mail if they gave an address). A possible match with an existing case is not shown to
them; it is flagged on the case for the business unit instead.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.audit.services import client_ip
from rapidreview.db import DomainError
from rapidreview.ratelimit import hit

from ..forms import PartnershipChoiceForm, PartnershipSearchForm, PublicReferralForm
from ..models import Source
from ..selectors import partnerships_matching, partnerships_taking_referrals
from ..services import referral_submit

SESSION_KEY = "public_referral"
PARTNERSHIP_KEY = "public_referral_partnership"  # the partnership the answers in SESSION_KEY are for
DONE_KEY = "public_referral_done"


def _for_page(request, slug: str | None, *, session_key: str = PARTNERSHIP_KEY):
    """The partnership a public page is for, set as ``request.partnership`` so that the layout names it.

    With a slug: that active partnership (404 otherwise). Without one (the older addresses): the partnership of the
    referral in progress, else the only active partnership, else None (the person chooses first).
    """
    partnerships = partnerships_taking_referrals()
    if slug:
        partnership = get_object_or_404(partnerships, slug=slug)
    else:
        stored = request.session.get(session_key)
        if isinstance(stored, dict):
            stored = stored.get("partnership")
        partnership = partnerships.filter(pk=stored).first() if stored else None
        if partnership is None:
            only = list(partnerships[:2])
            partnership = only[0] if len(only) == 1 else None
    if partnership is not None:
        request.partnership = partnership
    return partnership


def _url(name: str, slug: str | None) -> str:
    """The address of ``name`` in the same family as the page asking: the partnership's own, or the older one."""
    return reverse(f"referrals:{name}", args=[slug] if slug else [])


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


# Up to this many partnerships, the first question lists them all; beyond it (a region's or the country's
# installation) the person finds theirs by name, and at most MATCHES_SHOWN matches are offered.
LIST_AT_MOST = 15
MATCHES_SHOWN = 20


@login_not_required
@require_GET
def public_start(request):
    """Which area did this happen in? With one partnership on the installation, its start page straight away.

    A few partnerships are offered as a list. With many, the person types part of the council's or partnership's
    name and chooses among the matches: the page never lists the whole installation.
    """
    partnerships = partnerships_taking_referrals()
    first = list(partnerships[:LIST_AT_MOST + 1])
    if len(first) == 1:
        request.partnership = first[0]
        return render(request, "referrals/public_start.html", {"form_url": _url("public_referral", None)})
    choosing = "searched" in request.GET or "area" in request.GET  # the choice was sent, answered or not
    if len(first) <= LIST_AT_MOST:
        form = PartnershipChoiceForm(request.GET if choosing else None, partnerships=first)
        if choosing and form.is_valid():
            return redirect("referrals:public_partnership", slug=form.cleaned_data["area"])
        return render(request, "referrals/public_choose.html", {"form": form})
    term = request.GET.get("searched") if choosing else request.GET.get("q")
    search = PartnershipSearchForm({"q": term} if term is not None else None)
    matches, form = None, None
    if search.is_bound and search.is_valid():
        term = search.cleaned_data["q"]
        matches = partnerships_matching(term, limit=MATCHES_SHOWN + 1)
        form = PartnershipChoiceForm(request.GET if choosing else None, partnerships=matches[:MATCHES_SHOWN],
                                     after_search=True, initial={"searched": term})
        if choosing and form.is_valid():
            return redirect("referrals:public_partnership", slug=form.cleaned_data["area"])
    return render(request, "referrals/public_choose.html", {
        "search": search, "form": form, "matches": matches, "more_matches": bool(matches) and
        len(matches) > MATCHES_SHOWN, "matches_shown": MATCHES_SHOWN})


@login_not_required
@require_GET
def public_partnership(request, slug):
    """A partnership's own start page for public referrals."""
    _for_page(request, slug)
    return render(request, "referrals/public_start.html", {"form_url": _url("public_referral", slug),
                                                           "choose_url": reverse("referrals:public_start")})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_referral(request, slug=None):
    partnership = _for_page(request, slug)
    if partnership is None:
        return redirect("referrals:public_start")
    stored = request.session.get(SESSION_KEY)
    back_url = _url("public_partnership", slug) if slug else reverse("referrals:public_start")
    if request.method == "POST":
        # Before anything is kept: every accepted post writes a session row (finding 7).
        if _rate_limited(request, "draft", settings.PUBLIC_REFERRAL_DRAFT_RATE_LIMIT):
            return render(request, "referrals/public_rate_limited.html", {"kept": False}, status=429)
        form = PublicReferralForm(request.POST)
        if form.is_spam():
            form.add_error(None, "We could not accept this form. Contact the business unit by e-mail instead.")
            return render(request, "referrals/public_form.html", {"form": form, "back_url": back_url}, status=400)
        if form.is_valid():
            # The form's own fields only, each within its maximum length (the form refuses longer values).
            request.session[SESSION_KEY] = _own_fields(form, request.POST)
            request.session[PARTNERSHIP_KEY] = partnership.pk
            return redirect(_url("public_check", slug))
    else:
        # Answers typed for another area are offered again: the person may have chosen the wrong one.
        form = PublicReferralForm(MultiValueDict(stored)) if stored else PublicReferralForm()
    return render(request, "referrals/public_form.html", {"form": form, "back_url": back_url})


@login_not_required
@require_http_methods(["GET", "POST"])
def public_check(request, slug=None):
    partnership = _for_page(request, slug)
    stored = request.session.get(SESSION_KEY)
    if partnership is None or not stored or request.session.get(PARTNERSHIP_KEY) != partnership.pk:
        return redirect(_url("public_referral", slug))
    form = PublicReferralForm(MultiValueDict(stored))
    if not form.is_valid() or form.is_spam():
        return redirect(_url("public_referral", slug))
    if request.method == "POST":
        if _rate_limited(request, "submit", settings.PUBLIC_REFERRAL_RATE_LIMIT):
            return render(request, "referrals/public_rate_limited.html", {"kept": True}, status=429)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        data["child_last_name"] = data.get("child_last_name") or ""
        try:
            case = referral_submit(source=Source.PUBLIC, data=data, partnership=partnership)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return render(request, "referrals/public_form.html", {"form": form})
        del request.session[SESSION_KEY]
        request.session.pop(PARTNERSHIP_KEY, None)
        request.session[DONE_KEY] = {"reference": case.reference, "email": bool(data.get("referrer_email")),
                                     "partnership": partnership.pk}
        return redirect(_url("public_done", slug))
    rows = [{"label": field.label, "value": _shown(field, form.cleaned_data.get(name))}
            for name, field in form.fields.items() if name != "website"]
    return render(request, "referrals/public_check.html", {"rows": rows, "change_url": _url("public_referral", slug)})


def _shown(field, value) -> str:
    if value in (None, ""):
        return "Not given"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(dict(getattr(field, "choices", []) or []).get(value, value))


@login_not_required
@require_GET
def public_done(request, slug=None):
    done = request.session.get(DONE_KEY)
    partnership = _for_page(request, slug, session_key=DONE_KEY)
    if not done or partnership is None or done.get("partnership") != partnership.pk:
        return redirect("referrals:public_start")
    return render(request, "referrals/public_done.html", {"reference": done["reference"], "email": done["email"]})
