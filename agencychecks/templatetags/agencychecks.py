from django import template

from agencychecks.sections import BY_KEY

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """``mapping[key]``, or None: for findings and comments keyed by field or section."""
    if not mapping:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def row_findings(findings, number):
    """The writing assistant's notes on chronology row ``number`` (counted from 1)."""
    return dict_get(findings, f"chronology-{number}")


@register.filter
def section_title(key):
    section = BY_KEY.get(key)
    return section.title if section else key
