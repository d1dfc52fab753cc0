"""The shape most form views share: a valid POST calls a service, a refusal shows in the error summary, success
says so and redirects."""

from django.contrib import messages
from django.shortcuts import redirect

from rapidreview.db import DomainError


def _of(value, result):
    return value(result) if callable(value) else value


def handle_form(request, form, *, save, success, next_url, formsets=()):
    """Save a valid POST through ``save(cleaned_data)`` and redirect to ``next_url`` with ``success``.

    ``success`` is the message and ``next_url`` the redirect target (a URL, URL name or object with
    ``get_absolute_url``), or either is a function of what ``save`` returned. A ``DomainError`` becomes a non-field
    error of the form (so it shows in the error summary), or
    an error of each field it names. Returns the redirect, or None when the caller should
    render the page: a GET, an invalid form or formset, or a refusal.
    """
    if request.method != "POST" or not (form.is_valid() and all(f.is_valid() for f in formsets)):
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as exc:
        for field, message in exc.errors:
            form.add_error(field if field in form.fields else None, message)
        return None
    messages.success(request, _of(success, result))
    return redirect(_of(next_url, result))


def handle_action(request, act, *, success, next_url, refused_url):
    """Run ``act()`` for a button that posts no form; a ``DomainError`` is shown as an error on ``refused_url``.

    ``success`` and ``next_url`` may be functions of what ``act`` returned, as in ``handle_form``.
    """
    try:
        result = act()
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(refused_url)
    messages.success(request, _of(success, result))
    return redirect(_of(next_url, result))
