"""Helpers every decisions view shares."""

from django.contrib import messages
from django.shortcuts import redirect, render

from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from referrals.selectors import get_visible_case


def visible_case(request, case_id, *, action=AccessAction.VIEW, obj=None):
    """The case (404 when the user may not see it); the view is written to the access log."""
    case = get_visible_case(request.user, case_id)
    access_log(request, action=action, obj=obj if obj is not None else case, case_id=case.pk)
    return case


def handle_form(request, form, *, save, success, next_url, formsets=()):
    """Save a valid POST through ``save(cleaned_data)`` and redirect to ``next_url`` with ``success``.

    ``success`` is the message, or a function of what ``save`` returned. A ``DomainError`` becomes a non-field
    error of the form (so it shows in the error summary). Returns the redirect, or None when the caller should
    render the page: a GET, an invalid form or formset, or a refusal.
    """
    if request.method != "POST" or not (form.is_valid() and all(f.is_valid() for f in formsets)):
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(next_url)


def handle_action(request, act, *, success, next_url, refused_url):
    """Run ``act()`` for a button that posts no form; a ``DomainError`` is shown on ``refused_url``."""
    try:
        result = act()
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(refused_url)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(next_url)


def form_page(request, *, form, title, case=None, back_url="", template="form_page.html", status=200, **extra):
    caption = extra.pop("caption", None) or (case.reference if case else "")
    context = {"form": form, "title": title, "caption": caption, "back_url": back_url, "case": case,
               "submit_label": extra.pop("submit_label", None) or form.submit_label, **extra}
    return render(request, template, context, status=status)
