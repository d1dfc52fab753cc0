from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

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


class GovUKPasswordChangeForm(GovUKFormMixin, PasswordChangeForm):
    submit_label = "Change password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Avoid common passwords; a few unrelated words together work well.")


class TokenForm(GovUKFormMixin, forms.Form):
    """A six-digit code from an authenticator app, or a backup code."""

    submit_label = "Continue"
    token = forms.CharField(
        label="Security code", max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the security code"},
    )

    def __init__(self, *args, devices=(), **kwargs):
        self.devices = list(devices)
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        for device in self.devices:
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError("The security code is not correct, or has expired. Enter the latest code")


class ReauthenticateForm(GovUKFormMixin, forms.Form):
    """Password again, and the second factor when the person has one, before a sensitive action."""

    submit_label = "Confirm it's you"
    password = forms.CharField(label="Password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": "Enter your password"})

    def __init__(self, *args, user, devices=(), **kwargs):
        self.user = user
        self.devices = list(devices)
        super().__init__(*args, **kwargs)
        if self.devices:
            self.fields["token"] = TokenForm.base_fields["token"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not correct")
        return password

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not any(device.verify_token(token) for device in self.devices):
            raise forms.ValidationError("The security code is not correct, or has expired. Enter the latest code")
        return token
