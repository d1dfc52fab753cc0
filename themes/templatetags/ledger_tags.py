"""Template helpers for the ledgers (themes and action plan)."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def case_url(case) -> str:
    """The case page's address, or "" while the case page does not exist (or for no case at all)."""
    if case is None:
        return ""
    getter = getattr(case, "get_absolute_url", None)
    if callable(getter):
        try:
            return getter()
        except NoReverseMatch:
            return ""
    for name in ("referrals:case_detail", "referrals:case"):
        try:
            return reverse(name, args=[case.pk])
        except NoReverseMatch:
            continue
    return ""


@register.filter
def percent(value) -> str:
    """0.756 -> "76%"; None -> "–"."""
    if value is None or value == "":
        return "–"
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return str(value)
