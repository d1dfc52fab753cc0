"""Quality assurance of a submitted form: return it with comments, or accept it."""

from crispy_forms_gds.layout import Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..sections import SECTIONS
from .common import MAX_TEXT


class ReturnForm(GovUKFormMixin, forms.Form):
    """A comment per section; at least one."""

    submit_label = "Return the form"
    note = forms.CharField(label="A note for the agency (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)

    def __init__(self, *args, sections=SECTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"comment_{section.key}"] = forms.CharField(
                label=section.title, required=False, max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": f"Keep this to {MAX_TEXT:,} characters or fewer"})
        self.order_fields([f"comment_{s.key}" for s in sections] + ["note"])
        self.helper.layout = Layout(*self.fields)

    def clean(self):
        data = super().clean()
        if not any((v or "").strip() for k, v in data.items() if k.startswith("comment_")):
            first = next(k for k in self.fields if k.startswith("comment_"))
            self.add_error(first, "Comment on at least one section to say what the agency needs to change")
        return data

    def comments(self) -> dict[str, str]:
        return {k.removeprefix("comment_"): v for k, v in self.cleaned_data.items() if k.startswith("comment_") and v}


class AcceptForm(GovUKFormMixin, forms.Form):
    submit_label = "Accept the form"
    note = forms.CharField(label="Note (optional)", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))
