"""Helpers every decisions view shares."""

from django.shortcuts import render

from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from referrals.selectors import get_led_case, get_visible_case


def visible_case(request, case_id, *, action=AccessAction.VIEW, obj=None):
    """The case (404 when the user may not see it), for pages that only read it; the view is written to the access
    log."""
    case = get_visible_case(request.user, case_id)
    access_log(request, action=action, obj=obj if obj is not None else case, case_id=case.pk)
    return case


def led_case(request, case_id, *, action=None, obj=None):
    """The case, for pages that change it: 404 when the user may not see it, 403 when their partnership only takes
    part in it (the leading partnership decides and signs; ADR 0015). Written to the access log, as a change when
    the request is a POST."""
    case = get_led_case(request.user, case_id)
    if action is None:
        action = AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW
    access_log(request, action=action, obj=obj if obj is not None else case, case_id=case.pk)
    return case


def form_page(request, *, form, title, case=None, back_url="", template="form_page.html", status=200, **extra):
    caption = extra.pop("caption", None) or (case.reference if case else "")
    context = {"form": form, "title": title, "caption": caption, "back_url": back_url, "case": case,
               "submit_label": extra.pop("submit_label", None) or form.submit_label, **extra}
    return render(request, template, context, status=status)
