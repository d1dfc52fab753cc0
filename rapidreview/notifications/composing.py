"""Composing an e-mail's bodies from its template: the shared greeting and sign-off around what the e-mail is about.

``notify`` composes an e-mail when it is written. The reminder sweep's digests (``notify_many``) are written with
their template and its context instead and composed when they are delivered (``delivery.deliver``), so that the
sweep, which decides what is due for every partnership at once, does not also lay out hundreds of e-mails (ADR
0028). ``bodies`` gives what a row says either way, for the outbox page.
"""

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from .models import Notification


def render_text(name: str, context: dict) -> str:
    """Plain text is never HTML-escaped: ``&`` and ``'`` reach the reader as they are."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(*, template: str, context: dict, partnership, recipient=None) -> tuple[str, str]:
    """The text and (when ``<template>.html`` exists) HTML bodies, inside the shared greeting and sign-off.

    A missing HTML template means a text-only e-mail; an HTML template that exists but is broken raises.
    """
    full = {"site_url": settings.SITE_URL, "partnership": partnership, "installation_name": settings.INSTALLATION_NAME,
            "recipient": recipient, **context}
    text = render_text("notifications/email/layout.txt", {**full, "body": render_text(f"{template}.txt", full).strip()})
    try:
        html_template = get_template(f"{template}.html")
    except TemplateDoesNotExist as exc:
        if exc.args and exc.args[0] != f"{template}.html":
            raise
        return text, ""
    # The body template escapes its own output; the layout places it as it is.
    html = render_to_string("notifications/email/layout.html", {**full, "body": html_template.render(full)})
    return text, html


def bodies(note: Notification) -> tuple[str, str]:
    """The text and HTML bodies of ``note`` as they were or will be sent: stored, or composed now from its template
    (a digest not yet delivered). Composing reads the recipient and partnership of the row."""
    if not note.template:
        return note.body_text, note.body_html
    return render_email(template=note.template, context=note.context or {}, partnership=note.partnership,
                        recipient=note.recipient)
