from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from rapidreview.forms import GovUKFormMixin

from .models import Agency, LeadSafeguardingPartner, Partnership, Role, RoleAssignment, User
from .selectors import active_people, agencies_for_people, delegate_candidates


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


# Set by the installation's administrator, never by a partnership's business unit: the address slug (in every
# e-mail link) and whether the partnership is open.
INSTALLATION_FIELDS = {"id", "slug", "is_active", "created_at", "updated_at"}


class PartnershipForm(GovUKFormMixin, forms.ModelForm):
    """A partnership's own settings, edited by its business unit: contact details, durations and whether it shares
    its aggregate figures. Which agencies take part is chosen on the agencies page (an installation may hold
    thousands: they are found by name there, not all offered here)."""

    class Meta:
        model = Partnership
        fields = [f.name for f in Partnership._meta.fields if f.name not in INSTALLATION_FIELDS]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 4})}


class PersonForm(GovUKFormMixin, forms.ModelForm):
    """A person's account, kept by the business unit of the partnership they work for. A new person gets their
    first role in that partnership at the same time."""

    first_role = forms.ChoiceField(label="Their first role here", choices=[("", "Choose a role"), *Role.choices],
                                   error_messages={"required": "Select their first role"},
                                   help_text="You can add more roles, and the details of each, on their page.")

    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "job_title", "phone", "is_active"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for_people(partnership, self.instance if self.instance.pk else None)
        self.fields["is_active"].label = "Account is active"
        if self.instance.pk:
            del self.fields["first_role"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                "Someone already has an account with this e-mail address. To give them a role here, use "
                "'Add someone who already has an account'")
        return email


class RoleAssignmentForm(GovUKFormMixin, forms.ModelForm):
    """One role in the business unit's own partnership."""

    submit_label = "Save role"

    class Meta:
        model = RoleAssignment
        fields = ["role", "title", "statutory_partner", "voting", "core", "is_chair", "substitute",
                  "starts_on", "ends_on"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"voting": "Voting panel member", "core": "Core panel member",
                  "is_chair": "Chair (of the panel, or of the Executive)"}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        # A substitute is someone of the same partnership: never a list of everyone on the installation.
        self.fields["substitute"].queryset = active_people(partnership)

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.EXECUTIVE and not data.get("statutory_partner"):
            self.add_error("statutory_partner", "Select which statutory partner this executive member signs for")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "End date must be on or after the start date")
        return data


class ExistingPersonRoleForm(RoleAssignmentForm):
    """A role here for someone who already has an account, perhaps with another partnership: found by e-mail."""

    submit_label = "Add role"
    email = forms.EmailField(label="Their e-mail address", error_messages={"required": "Enter their e-mail address"},
                             help_text="The address they sign in with.")

    field_order = ["email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.person = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.person is None:
            raise forms.ValidationError("No one has an account with this e-mail address. Add them as a new person")
        return email


class PartnershipCreateForm(GovUKFormMixin, forms.ModelForm):
    """The installation's administrator adds a partnership and names its first business unit user."""

    submit_label = "Add partnership"
    manager_email = forms.EmailField(
        label="E-mail address of its first business unit user",
        help_text="Someone who already has an account (for example with another partnership) is given the role "
                  "with it; anyone else gets a new account and an e-mail to set their password.",
        error_messages={"required": "Enter the e-mail address of its first business unit user"})
    manager_name = forms.CharField(label="Their full name", max_length=200, required=False,
                                   help_text="Needed only for someone new.")

    class Meta:
        model = Partnership
        fields = ["name", "short_name", "slug", "contact_email"]
        labels = {"name": "Name", "short_name": "Short name", "slug": "Address name",
                  "contact_email": "Business unit's e-mail address"}
        help_texts = {"short_name": "For example THSCP. Shown in page titles and e-mail subjects.",
                      "slug": "Lower case letters, numbers and hyphens, for example tower-hamlets. Links in its "
                              "e-mails carry it; it cannot be changed later."}
        error_messages = {"name": {"required": "Enter the partnership's name",
                                   "unique": "A partnership with this name already exists"},
                          "short_name": {"required": "Enter a short name"},
                          "slug": {"required": "Enter an address name",
                                   "unique": "A partnership already uses this address name"},
                          "contact_email": {"required": "Enter the business unit's e-mail address"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].initial = ""
        self.fields["contact_email"].required = True

    def clean(self):
        data = super().clean()
        email = (data.get("manager_email") or "").strip()
        if email and not data.get("manager_name", "").strip() and \
                not User.objects.filter(email__iexact=email).exists():
            self.add_error("manager_name", "Enter their full name: no one has an account with this e-mail address")
        return data


class AgencyForm(GovUKFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "type", "statutory_partner", "distribution_email", "is_active"]
        error_messages = {"name": {"unique": "An agency with this name is already on the service. To include it, "
                                             "tick it in the partnership settings"}}


class _PeopleField(forms.ModelMultipleChoiceField):
    """People by id: an id too large for the database is an invalid choice, not a server error."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": ""}) from error


class LeadPartnerForm(GovUKFormMixin, forms.ModelForm):
    """A Lead Safeguarding Partner and the executives who act for them as Delegated Safeguarding Partners."""

    submit_label = "Save lead partner"

    class Meta:
        model = LeadSafeguardingPartner
        fields = ["partner", "name", "title", "organisation", "delegates"]
        widgets = {"partner": forms.RadioSelect, "delegates": forms.CheckboxSelectMultiple}
        field_classes = {"delegates": _PeopleField}
        labels = {"partner": "Which safeguarding partner"}
        help_texts = {"partner": "The local authority chief executive, the chief officer of police, or the "
                                 "integrated care board chief executive (Working Together 2023)."}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [c for c in self.fields["partner"].choices if c[0]]
        self.fields["delegates"].queryset = delegate_candidates(partnership)
        self.fields["delegates"].label_from_instance = lambda u: ", ".join(filter(None, [u.full_name, u.job_title]))
        self.fields["delegates"].help_text = ("The executive members who sign decision sheets for this lead partner. "
                                              "Give someone the executive role on their page to list them here.")


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
