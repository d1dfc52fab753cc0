"""The select widget's options are written in Python (speed); the markup must be what Django's templates write."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from rapidreview.templatetags.govuk import numeric_cells

CHOICES = [
    ("", "Any agency"),
    ("Health", [("a1", "Barts & The London <NHS>"), ("a2", 'ELFT "community"')]),
    ("b1", mark_safe("<em>Already safe</em>")),  # noqa: S308 - a test of safe labels
    (3, "Number's value"),
]


class _Form(forms.Form):
    agency = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False,
                                     widget=forms.SelectMultiple(attrs={"data-x": "1"}))


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_the_select_markup_is_the_same_as_djangos_own_templates():
    form = _Form(data={"agency": "a2", "many": ["a1", "3"]})
    for name in ("agency", "many"):
        ours = form[name].as_widget()
        djangos = form.fields[name].widget.render(name, form[name].value(), attrs={"id": f"id_{name}"},
                                                  renderer=DjangoTemplates())
        assert _normalise(ours) == _normalise(djangos)
        assert "&lt;NHS&gt;" in ours and "<em>Already safe</em>" in ours and "&quot;community&quot;" in ours
    assert 'value="a2" selected' in _normalise(form["agency"].as_widget())


def test_numeric_cells_escape_what_they_write():
    assert numeric_cells([1, "<b>"]) == ('<td class="govuk-table__cell govuk-table__cell--numeric">1</td>'
                                         '<td class="govuk-table__cell govuk-table__cell--numeric">&lt;b&gt;</td>')
