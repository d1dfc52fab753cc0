"""The glossary of terms in capitals the writing assistant knows."""

from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import GlossaryTerm


class GlossaryTermForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save"

    class Meta:
        model = GlossaryTerm
        fields = ["term", "expansion", "allowed"]
        labels = {"allowed": "Allowed without expanding it"}

    def clean_term(self):
        term = self.cleaned_data["term"].strip().upper()
        if not term.replace("&", "").replace("/", "").isalnum() or sum(c.isalpha() for c in term) < 2:
            raise forms.ValidationError("Enter a term of two or more capital letters, like GP or A&E")
        if GlossaryTerm.objects.filter(term__iexact=term).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("This term is already in the glossary")
        return term

    def clean(self):
        data = super().clean()
        if not data.get("allowed") and not (data.get("expansion") or "").strip() and "expansion" not in self.errors:
            self.add_error("expansion", "Enter what the term stands for, or allow it without expanding it")
        return data
