from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from rapidreview.forms import GovUKFormMixin

from .models import Agency, Partnership, Role, RoleAssignment, User


class SignInForm(GovUKFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password.",
        "inactive": "Enter a correct e-mail address and password.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class GovUKPasswordResetForm(GovUKFormMixin, PasswordResetForm):
    pass


class GovUKSetPasswordForm(GovUKFormMixin, SetPasswordForm):
    pass


class PartnershipForm(GovUKFormMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [f.name for f in Partnership._meta.fields if f.name not in {"id", "updated_at"}]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 4})}


class PersonForm(GovUKFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "job_title", "phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["is_active"].label = "Account is active"

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Someone already has an account with this e-mail address.")
        return email


class RoleAssignmentForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Save role"

    class Meta:
        model = RoleAssignment
        fields = ["role", "title", "statutory_partner", "voting", "core", "is_chair", "substitute",
                  "starts_on", "ends_on"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"voting": "Voting panel member", "core": "Core panel member",
                  "is_chair": "Chair (of the panel, or of the Executive)"}

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.EXECUTIVE and not data.get("statutory_partner"):
            self.add_error("statutory_partner", "Select which statutory partner this executive member signs for")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "End date must be on or after the start date")
        return data


class AgencyForm(GovUKFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "type", "statutory_partner", "distribution_email", "is_active"]
