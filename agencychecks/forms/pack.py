"""Distributing the pack of accepted forms to the panel."""

from django import forms

from rapidreview.forms import GovUKFormMixin

from .common import MAX_TEXT


class DistributeForm(GovUKFormMixin, forms.Form):
    submit_label = "Distribute the pack"
    reason = forms.CharField(label="Why go ahead without every agency's form?", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if not needs_reason:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        if self.needs_reason and not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Enter why the pack is going without every agency's form")
        return data
