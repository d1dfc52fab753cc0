"""Forms for panels. Each uses crispy-forms-gds through ``GovUKFormMixin``; services apply the rules."""

import datetime

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from rapidreview.accounts.models import StatutoryPartner, User
from rapidreview.forms import DateInputField, GovUKFormMixin
from referrals.models import Case

from .models import Attendance, InvitationResponse
from .services.common import LONDON


def _date_field(label, required=True, help_text=""):
    return DateInputField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")


class MembershipForm(GovUKFormMixin, forms.Form):
    """A seat on the panel register (stored as a panel-member role assignment)."""

    submit_label = "Save membership"

    user = forms.ModelChoiceField(label="Person", queryset=User.objects.none(),
                                  error_messages={"required": "Choose the person"})
    title = forms.CharField(label="Seat on the panel", max_length=200,
                            help_text="For example: Designated Nurse for Safeguarding, Integrated Care Board",
                            error_messages={"required": "Enter the seat this person holds on the panel"})
    statutory_partner = forms.ChoiceField(
        label="Statutory partner they represent", required=False,
        choices=[("", "None (not one of the three statutory partners)")] + list(StatutoryPartner.choices))
    core = forms.TypedChoiceField(label="Membership", coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                  choices=[("yes", "Core member (invited to every panel)"),
                                           ("no", "Case by case (invited when their agency is involved)")],
                                  error_messages={"required": "Choose core or case by case"})
    voting = forms.TypedChoiceField(label="Voting", coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                    choices=[("yes", "Voting member"), ("no", "Non-voting member")],
                                    error_messages={"required": "Choose voting or non-voting"})
    is_chair = forms.BooleanField(label="Chairs the panel", required=False)
    substitute = forms.ModelChoiceField(label="Agreed substitute (optional)", required=False,
                                        queryset=User.objects.none())
    starts_on = _date_field("Membership starts")
    ends_on = _date_field("Membership ends (optional)", required=False, help_text="Leave empty if open-ended")

    def __init__(self, *args, people, person=None, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} – {u.agency or 'no agency'}"
        self.fields["substitute"].queryset = people
        self.fields["substitute"].label_from_instance = lambda u: f"{u.full_name} – {u.agency or 'no agency'}"
        if person is not None:
            del self.fields["user"]
        self.helper.layout = Layout(*[Field(name) if name not in ("core", "voting") else Field.radios(
            name, legend_size=Size.SMALL) for name in self.fields])

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        user = data.get("user") or self.person
        if user is not None and data.get("substitute") == user:
            self.add_error("substitute", "The substitute must be someone else")
        return data


class SetUpForm(GovUKFormMixin, forms.Form):
    submit_label = "Save and continue"

    invitees = forms.MultipleChoiceField(label="Case-by-case invitees", required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].choices = [
            (str(row["user"].pk),
             f"{row['user'].full_name} – {row['seat']}{' (voting)' if row['voting'] else ' (non-voting)'}")
            for row in choices]
        self.fields["invitees"].help_text = ("Ticked: people from the agencies the referral lists as involved. "
                                             "Core members are invited automatically.")
        self.helper.layout = Layout(Field.checkboxes("invitees", legend_size=Size.MEDIUM))


class ScheduleForm(GovUKFormMixin, forms.Form):
    submit_label = "Save date and time"

    meeting_date = _date_field("Date of the meeting")
    start_time = forms.TimeField(label="Start time", help_text="24-hour clock, UK time. For example, 10:00",
                                 widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                                 error_messages={"required": "Enter the start time",
                                                 "invalid": "Enter the start time like 10:00"})
    duration_minutes = forms.TypedChoiceField(label="Length", coerce=int, initial=120,
                                              choices=[(60, "1 hour"), (90, "1 hour 30 minutes"), (120, "2 hours"),
                                                       (150, "2 hours 30 minutes"), (180, "3 hours")])
    venue = forms.CharField(label="Venue", required=False, max_length=300,
                            help_text="Leave empty for an online-only meeting")
    online_link = forms.URLField(label="Online meeting link", required=False, max_length=500, assume_scheme="https",
                                 widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
                                 error_messages={"invalid": "Enter the link starting https://"})
    override_reason = forms.CharField(
        label="Reason for meeting after the working-day limit", required=False, widget=forms.Textarea(
            attrs={"rows": 3}),
        help_text="Only needed when the date is after the limit. It is recorded on the case.")

    def __init__(self, *args, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deadline:
            self.fields["meeting_date"].help_text = (f"On or before {deadline.day} {deadline:%B %Y} (the working-day "
                                                     "limit). For example, 27 3 2026")
        self.helper.layout = Layout(*[
            Field(name, css_class="govuk-input--width-5") if name == "start_time" else Field(name)
            for name in self.fields])

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error("venue", "Enter a venue or an online meeting link")
        return data

    def meeting_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.cleaned_data["meeting_date"], self.cleaned_data["start_time"],
                                         tzinfo=LONDON)


class CancelForm(GovUKFormMixin, forms.Form):
    submit_label = "Cancel the meeting"

    reason = forms.CharField(label="Reason (sent to everyone invited)", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AgendaForm(GovUKFormMixin, forms.Form):
    submit_label = "Save agenda"

    agenda = forms.CharField(label="Agenda", widget=forms.Textarea(attrs={"rows": 12}),
                             error_messages={"required": "Enter the agenda"},
                             help_text="Do not include the child's name: use the case reference.")


class AttendanceForm(forms.Form):
    """One row of the attendance register; rendered by hand in a table."""

    attendance = forms.ChoiceField(choices=[c for c in Attendance.choices if c[0]], widget=forms.RadioSelect,
                                   error_messages={"required": "Choose present, apologies or substitute"})
    substitute_name = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, invitation=None, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        name = invitation.user.full_name
        field = self.fields["attendance"]
        if getattr(invitation, "conflicted", False):
            # A declared conflict: never present (the service refuses it too); the agreed substitute takes the seat.
            field.choices = [(Attendance.APOLOGIES, Attendance.APOLOGIES.label),
                             (Attendance.SUBSTITUTE, Attendance.SUBSTITUTE.label)]
            field.error_messages["invalid_choice"] = (f"{name} has declared a conflict of interest, so cannot be "
                                                      "marked present")
        elif invitation.substitute_for_id:
            field.choices = [(Attendance.PRESENT, Attendance.PRESENT.label),
                             (Attendance.APOLOGIES, Attendance.APOLOGIES.label)]
            field.error_messages["invalid_choice"] = f"Choose present or apologies for {name}"
        self.agreed_substitute = getattr(invitation, "agreed_substitute", None)

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Attendance.SUBSTITUTE and self.agreed_substitute:
            data["substitute_name"] = self.agreed_substitute
        if data.get("attendance") == Attendance.SUBSTITUTE and not data.get("substitute_name", "").strip():
            self.add_error("substitute_name", f"Name the substitute for {self.invitation.user.full_name}")
        return data


class HeldForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the meeting as held"

    notes = forms.CharField(label="Short notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="The decision sheet holds the full record.")


class ConflictForm(GovUKFormMixin, forms.Form):
    submit_label = "Declare the conflict"

    reference = forms.CharField(label="Case reference", max_length=20,
                                error_messages={"required": "Enter the case reference"})
    member = forms.ModelChoiceField(label="Panel member with the conflict", queryset=User.objects.none(),
                                    error_messages={"required": "Choose the panel member"})
    nature = forms.CharField(label="What is the conflict?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Describe the conflict"})
    implications = forms.CharField(label="What are its implications for the review?",
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   error_messages={"required": "Describe the implications"})

    # One answer for every reference the member may not use, so that the form tells nothing about other cases:
    # whether they exist, their stage, or a conflict already declared (issue 21, finding 8).
    NOT_YOURS = "Enter the reference of a case whose panel you sit on"

    def __init__(self, *args, case=None, on_behalf=False, members=None, user=None, cases=None, **kwargs):
        self.case = case
        self.user = user
        self.cases = cases if cases is not None else Case.objects.none()
        super().__init__(*args, **kwargs)
        if case is not None:
            del self.fields["reference"]
        if on_behalf:
            self.fields["member"].queryset = members
            self.fields["member"].label_from_instance = lambda u: f"{u.full_name} – {u.agency or 'no agency'}"
        else:
            del self.fields["member"]
        self.helper.layout = Layout(*self.fields)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        case = self.cases.filter(reference__iexact=reference).first()
        if case is None:
            raise forms.ValidationError(self.NOT_YOURS)
        self.case = case
        return reference


class HandlingForm(GovUKFormMixin, forms.Form):
    submit_label = "Save"

    handling = forms.CharField(label="How is the conflict handled?", widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Describe how the conflict is handled"})


class SubstituteForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the substitute"

    substitute = forms.ModelChoiceField(label="Agreed substitute", queryset=User.objects.none(),
                                        error_messages={"required": "Choose the agreed substitute"})

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = people
        self.fields["substitute"].label_from_instance = lambda u: f"{u.full_name} – {u.agency or 'no agency'}"


class LiaisonForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the liaison"

    cases = forms.ModelMultipleChoiceField(label="Cases discussed", queryset=Case.objects.none(),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "Choose the cases discussed"})
    liaised_on = _date_field("Date of the liaison")
    contact = forms.CharField(label="Who", max_length=300,
                              help_text="Who liaised, and with whom at the National Panel",
                              error_messages={"required": "Say who liaised"})
    timelines_agreed = forms.CharField(label="Timelines agreed", widget=forms.Textarea(attrs={"rows": 4}),
                                       error_messages={"required": "Enter the timelines agreed"})

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].label_from_instance = lambda c: (
            f"{c.reference} – notified {c.sin_notified_on.day} {c.sin_notified_on:%B %Y}")
        self.helper.layout = Layout(Field.checkboxes("cases", legend_size=Size.SMALL), "liaised_on", "contact",
                                    "timelines_agreed")

    def clean_liaised_on(self):
        day = self.cleaned_data["liaised_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the liaison cannot be in the future")
        return day




class InvitationReplyForm(GovUKFormMixin, forms.Form):
    submit_label = "Send reply"

    response = forms.ChoiceField(label="Will you attend?", choices=InvitationResponse.choices,
                                 widget=forms.RadioSelect, error_messages={"required": "Say whether you will attend"})
    note = forms.CharField(label="If you cannot attend: why, and who is your agreed substitute?", required=False,
                           max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
