"""The options of a select widget, written in Python.

Django's select template includes a template per option; a filter listing 300 agencies spent 60 ms there. This
writes the same markup, escaped the same way, in one pass. Used by templates/django/forms/widgets/select.html.
"""

from django import template
from django.utils.safestring import mark_safe

from .govuk import fast_escape

register = template.Library()


def _attrs(attrs: dict) -> str:
    return "".join(f" {fast_escape(name)}" if value is True else f' {fast_escape(name)}="{fast_escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def _option(option: dict) -> str:
    value, label = fast_escape(option["value"]), fast_escape(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


@register.simple_tag
def select_options(optgroups) -> str:
    parts = []
    for group_name, group_choices, _index in optgroups:
        options = "\n".join(_option(option) for option in group_choices)
        parts.append(f'<optgroup label="{fast_escape(group_name)}">\n{options}\n</optgroup>' if group_name else options)
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped  # nosec B308 B703
