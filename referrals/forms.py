"""Forms for referral intake, the threshold discussion, the SIN, the letter and assurance requests."""

import datetime

from crispy_forms_gds.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapidreview.accounts.models import Agency, Role, StatutoryPartner
from rapidreview.accounts.selectors import current_assignments
from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import AbuseKind, CdopForum, Harm, LetterSentBy, Sex, Source, ThresholdOutcome, YesNoUnknown


class DateField(DateInputField):
    """GOV.UK day, month and year boxes, with plain messages; never a 500 on 31 February."""

    def __init__(self, *, label, name=None, required=True, help_text="For example, 27 3 2026", not_future=True,
                 **kwargs):
        """``name`` says what the date is in error messages ("the date it happened"); it defaults to the label."""
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        name = name or f"{label[0].lower()}{label[1:]}".rstrip("?")
        self.label_text = f"{name[0].upper()}{name[1:]}"
        self.not_future = not_future
        self.error_messages["required"] = f"Enter {name}"
        self.error_messages["incomplete"] = f"{self.label_text} must include a day, month and year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(f"{self.label_text.rstrip('?')} must be a real date") from exc
        if value.year < 1900:
            raise ValidationError(f"{self.label_text.rstrip('?')} must be a real date")
        if self.not_future and value > timezone.localdate():
            raise ValidationError(f"{self.label_text.rstrip('?')} must be today or in the past")
        return value


def _radios(choices, label, required=False, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, required=required, **kwargs)


def _text(label, required=False, max_length=200, **kwargs):
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def _area(label, required=False, rows=5, **kwargs):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class KindForm(GovUKFormMixin, forms.Form):
    """Which way in. The business unit may also type in a public referral that reached it by e-mail or post."""

    source = _radios([], "What kind of referral is this?", required=True,
                     error_messages={"required": "Select what kind of referral this is"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Source.PROFESSIONAL, "A professional referral"),
                   (Source.CDOP_JAR, "A referral after a child death overview panel (CDOP) or joint agency "
                                     "response (JAR) discussion")]
        if user is not None and user.has_role(Role.BUSINESS_UNIT):
            choices.append((Source.PUBLIC, "A referral from a parent or member of the community, entered for them"))
        self.fields["source"].choices = choices


class ReferrerForm(GovUKFormMixin, forms.Form):
    """About the referrer. An agency lead's agency comes from their account; the business unit chooses it."""

    referrer_name = _text("Full name", required=True, error_messages={"required": "Enter the referrer's name"})
    referrer_role = _text("Job title or role")
    referrer_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False,
                                             empty_label="Not listed")
    referrer_organisation = _text("Organisation, if the agency is not listed")
    referrer_email = forms.EmailField(label="E-mail address", required=False,
                                      error_messages={"invalid": "Enter an e-mail address in the correct format, "
                                                                 "like name@example.com"})
    referrer_phone = _text("Telephone", max_length=40)
    referrer_address = _area("Postal address", rows=3)
    how_received = _text("How the referral reached the business unit", help_text="For example: by e-mail on 3 May")
    cdop_forum = _radios(CdopForum.choices, "Where was the case discussed?", required=True,
                         error_messages={"required": "Select where the case was discussed"})
    cdop_discussed_on = DateField(label="Date it was discussed")
    discussed_with_manager = forms.BooleanField(
        label="I have discussed this referral with my manager and my agency's safeguarding lead",
        error_messages={"required": "Confirm that you discussed the referral with your manager and safeguarding "
                                    "lead"})

    def __init__(self, *args, user=None, source=Source.PROFESSIONAL, on_behalf=False, **kwargs):
        self.source, self.on_behalf = source, on_behalf
        super().__init__(*args, **kwargs)
        self.fields["referrer_agency"].queryset = Agency.objects.filter(is_active=True)
        if source != Source.CDOP_JAR:
            del self.fields["cdop_forum"], self.fields["cdop_discussed_on"]
        if not on_behalf:
            # A signed-in agency lead refers for their own agency.
            for name in ("referrer_agency", "referrer_organisation", "how_received", "referrer_address"):
                del self.fields[name]
        else:
            self.fields["discussed_with_manager"].required = False
            self.fields["discussed_with_manager"].label = "The referrer says they discussed it with their manager " \
                                                          "and safeguarding lead"
            if source == Source.PUBLIC:
                del self.fields["referrer_agency"], self.fields["referrer_organisation"]
                del self.fields["discussed_with_manager"]
                self.fields["referrer_role"].label = "Relationship to the child"
        self.build_layout()


class ChildForm(GovUKFormMixin, forms.Form):
    child_first_name = _text("First name", required=True, max_length=100,
                             error_messages={"required": "Enter the child's first name"})
    child_last_name = _text("Last name", max_length=100)
    child_aliases = _text("Other names or aliases", max_length=300)
    child_dob = DateField(label="Date of birth", required=False)
    child_age = _text("Age, if the date of birth is not known", max_length=40)
    child_sex = _radios(Sex.choices, "Sex")
    child_ethnicity = _text("Ethnicity", max_length=100)
    child_disability = _text("Disability, if any", max_length=300)
    child_home_la = _text("Home local authority")
    child_address = _area("Address", rows=3)
    looked_after = _radios(YesNoUnknown.choices, "Was the child looked after by a local authority?")
    child_protection_plan = _radios(YesNoUnknown.choices, "Was the child on a child protection plan?")

    def build_layout(self):
        self.helper.layout = Layout(
            Fieldset("child_first_name", "child_last_name", "child_aliases", legend="Name", legend_size="m"),
            Fieldset("child_dob", "child_age", "child_sex", "child_ethnicity", "child_disability",
                     legend="About the child", legend_size="m"),
            Fieldset("child_home_la", "child_address", legend="Where the child lives", legend_size="m"),
            Fieldset(Field.radios("looked_after", inline=True), Field.radios("child_protection_plan", inline=True),
                     legend="Care and protection", legend_size="m"),
        )


class HouseholdMemberForm(GovUKFormMixin, forms.Form):
    name = _text("Name", required=True, error_messages={"required": "Enter the household member's name"})
    relationship = _text("Relationship to the child", max_length=100)
    age = _text("Date of birth or age", max_length=40)
    notes = _text("Anything else we should know", max_length=500)


class BaseHouseholdFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]


HouseholdFormSet = forms.formset_factory(HouseholdMemberForm, formset=BaseHouseholdFormSet, extra=0,
                                         can_delete=True, max_num=20, validate_max=True)


class IncidentForm(GovUKFormMixin, forms.Form):
    incident_date = DateField(label="Date of the incident")
    la_aware_on = DateField(label="Date the local authority became aware", required=False,
                            help_text="Leave blank if you do not know. For example, 27 3 2026")
    incident_la = _text("Local authority where it happened")
    harm = _radios(Harm.choices, "Did the child die or were they seriously harmed?", required=True,
                   error_messages={"required": "Select whether the child died or was seriously harmed"})
    abuse_kinds = forms.MultipleChoiceField(label="Kinds of abuse or neglect known or suspected",
                                            choices=AbuseKind.choices, widget=forms.CheckboxSelectMultiple,
                                            required=False, help_text="Select all that apply")
    description = _area("What happened", required=True, rows=8,
                        error_messages={"required": "Describe what happened"})

    def clean(self):
        data = super().clean()
        incident, aware = data.get("incident_date"), data.get("la_aware_on")
        if incident and aware and aware < incident:
            self.add_error("la_aware_on", "Date the local authority became aware must be on or after the date of "
                                          "the incident")
        return data


class AgenciesForm(GovUKFormMixin, forms.Form):
    agencies = forms.ModelMultipleChoiceField(label="Agencies known to be involved with the child or family",
                                              queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple,
                                              required=False, help_text="Select all that apply")
    other_agencies = _text("Other agencies involved", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(is_active=True)


class CriteriaForm(GovUKFormMixin, forms.Form):
    criteria_reasons = _area("Why do you think the criteria for a rapid review are met?", required=True, rows=8,
                             help_text="Abuse or neglect of the child is known or suspected, and the child has "
                                       "died or been seriously harmed.",
                             error_messages={"required": "Explain why you think the criteria are met"})
    police_investigation = _radios(YesNoUnknown.choices, "Is there a police investigation?")
    inquest = _radios(YesNoUnknown.choices, "Is there an inquest?")
    other_reviews = _area("Other reviews already under way", rows=3,
                          help_text="For example, a domestic homicide review or a safeguarding adults review")

    def build_layout(self):
        self.helper.layout = Layout(
            "criteria_reasons",
            Fieldset(Field.radios("police_investigation", inline=True), Field.radios("inquest", inline=True),
                     "other_reviews", legend="Other processes already known", legend_size="m"),
        )


class DuplicateConfirmForm(forms.Form):
    confirm_duplicate = forms.BooleanField(required=True)


class PublicReferralForm(GovUKFormMixin, forms.Form):
    """The public form: plain words, only what we need to get in touch and understand the worry."""

    submit_label = "Continue"

    referrer_name = _text("Your name", required=True, error_messages={"required": "Enter your name"})
    referrer_role = _text("How do you know the child?", help_text="For example: parent, aunt, neighbour")
    referrer_email = forms.EmailField(label="Your e-mail address (optional)", required=False,
                                      help_text="We will send you a message to say we received your referral",
                                      error_messages={"invalid": "Enter an e-mail address in the correct format, "
                                                                 "like name@example.com"})
    referrer_phone = _text("Your phone number (optional)", max_length=40)
    referrer_address = _area("Your address (optional)", rows=3,
                             help_text="So we can write to you with what we decide")
    child_first_name = _text("Child's first name", required=True, max_length=100,
                             error_messages={"required": "Enter the child's first name"})
    child_last_name = _text("Child's last name", max_length=100)
    child_dob = DateField(label="Child's date of birth", required=False)
    child_age = _text("Child's age, if you do not know their date of birth", max_length=40)
    child_address = _area("Where does the child live?", rows=3)
    harm = _radios(Harm.choices, "Did the child die or were they seriously hurt?", required=True,
                   error_messages={"required": "Select whether the child died or was seriously hurt"})
    incident_date = DateField(label="When did it happen?", name="the date it happened")
    description = _area("What happened?", required=True, rows=8,
                        error_messages={"required": "Tell us what happened"})
    criteria_reasons = _area("What worries you about how services worked together?", rows=6)
    other_agencies = _text("Which services knew the child or family?", max_length=500,
                           help_text="For example: school, GP, social worker, police")
    # A field people never see: bots fill it in.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["harm"].choices = [(Harm.DIED, "The child died"),
                                       (Harm.SERIOUS_HARM, "The child was seriously hurt")]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def build_layout(self):
        self.helper.layout = Layout(
            Fieldset("referrer_name", "referrer_role", "referrer_email", "referrer_phone", "referrer_address",
                     legend="About you", legend_size="m"),
            Fieldset("child_first_name", "child_last_name", "child_dob", "child_age", "child_address",
                     legend="About the child", legend_size="m"),
            Fieldset("harm", "incident_date", "description", "criteria_reasons", "other_agencies",
                     legend="What happened", legend_size="m"),
            Div("website", css_class="govuk-visually-hidden", aria_hidden="true"),
        )

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


def threshold_people(partner: str):
    from rapidreview.accounts.models import User

    ids = current_assignments(Role.THRESHOLD).filter(statutory_partner=partner).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


class ThresholdForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the decision"

    discussed_on = DateField(label="Date of the discussion")
    la_participant = forms.ModelChoiceField(
        label="Local authority (the decision maker)", queryset=None,
        error_messages={"required": "Select who took part for the local authority"})
    health_participant = forms.ModelChoiceField(label="Health", queryset=None, required=False,
                                                empty_label="Did not take part")
    police_participant = forms.ModelChoiceField(label="Police", queryset=None, required=False,
                                                empty_label="Did not take part")
    absence_reason = _area("If health or police did not take part, why not?", rows=3)
    outcome = _radios(ThresholdOutcome.choices, "Outcome", required=True,
                      error_messages={"required": "Select whether the threshold was met"})
    rationale = _area("Rationale", required=True, rows=6,
                      error_messages={"required": "Enter the rationale for the decision"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la_participant"].queryset = threshold_people(StatutoryPartner.LOCAL_AUTHORITY)
        self.fields["health_participant"].queryset = threshold_people(StatutoryPartner.HEALTH)
        self.fields["police_participant"].queryset = threshold_people(StatutoryPartner.POLICE)
        self.fields["outcome"].choices = [(ThresholdOutcome.MET, "Serious Incident Notification threshold met"),
                                          (ThresholdOutcome.NOT_MET, "Threshold not met")]

    def build_layout(self):
        self.helper.layout = Layout(
            "discussed_on",
            Fieldset("la_participant", "health_participant", "police_participant", "absence_reason",
                     legend="Who took part", legend_size="m"),
            Fieldset(Field.radios("outcome"), "rationale", legend="The decision", legend_size="m"),
        )

    def clean(self):
        data = super().clean()
        if "health_participant" in data and "police_participant" in data:
            absent = data.get("health_participant") is None or data.get("police_participant") is None
            if absent and not (data.get("absence_reason") or "").strip():
                self.add_error("absence_reason", "Explain why health or police did not take part")
        return data


class SinForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the notification"

    notified_on = DateField(label="Date notified to the National Panel")
    notification_reference = _text("Notification reference", max_length=100,
                                   required=True, error_messages={"required": "Enter the notification reference"})
    ofsted_notified = _radios(YesNoUnknown.choices[:2], "Was Ofsted notified?")
    secretary_of_state_notified = _radios(YesNoUnknown.choices[:2], "Was the Secretary of State notified?")
    late_reason = _area("Reason the notification was late", rows=4)

    def __init__(self, *args, case=None, due_on=None, **kwargs):
        self.case, self.due_on = case, due_on
        super().__init__(*args, **kwargs)
        self.looked_after = case is not None and case.referral.looked_after == YesNoUnknown.YES
        if not self.looked_after:
            del self.fields["ofsted_notified"], self.fields["secretary_of_state_notified"]
        else:
            self.fields["ofsted_notified"].required = True
            self.fields["ofsted_notified"].error_messages["required"] = "Select whether Ofsted was notified"
            self.fields["secretary_of_state_notified"].required = True
            self.fields["secretary_of_state_notified"].error_messages["required"] = \
                "Select whether the Secretary of State was notified"
        if due_on:
            self.fields["late_reason"].help_text = f"Needed if notified after {due_on:%-d %B %Y}"
        self.build_layout()

    def build_layout(self):
        if not hasattr(self, "looked_after"):
            return
        fields = ["notified_on", "notification_reference"]
        if self.looked_after:
            fields += [Field.radios("ofsted_notified", inline=True),
                       Field.radios("secretary_of_state_notified", inline=True)]
        self.helper.layout = Layout(*fields, "late_reason")

    def clean(self):
        data = super().clean()
        when = data.get("notified_on")
        if when and self.case is not None and self.case.incident_date and when < self.case.incident_date:
            self.add_error("notified_on", "Date notified must be on or after the date of the incident")
        if when and self.due_on and when > self.due_on and not (data.get("late_reason") or "").strip():
            self.add_error("late_reason", "Give the reason the notification was later than "
                                          f"{self.due_on:%-d %B %Y}")
        return data


class LetterForm(GovUKFormMixin, forms.Form):
    next_steps = _area("Next steps for the referrer", required=True, rows=10,
                       help_text="This text appears in the letter under the decision.",
                       error_messages={"required": "Enter the next steps for the referrer"})


class LetterManualSendForm(GovUKFormMixin, forms.Form):
    submit_label = "Record that it was sent"

    sent_by = _radios([c for c in LetterSentBy.choices if c[0] != LetterSentBy.EMAIL], "How was it sent?",
                      required=True, error_messages={"required": "Select how the letter was sent"})
    sent_to = _text("Where it was sent", max_length=300, required=True,
                    help_text="The e-mail or postal address", error_messages={"required": "Enter where it was sent"})
    sent_on = DateField(label="Date sent")


class AssuranceRequestForm(GovUKFormMixin, forms.Form):
    submit_label = "Send the request"

    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(),
                                    error_messages={"required": "Select the agency"})
    request = _area("What assurance is needed?", required=True, rows=6,
                    error_messages={"required": "Enter what assurance is needed"})
    due_on = DateField(label="Answer due by", not_future=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due <= timezone.localdate():
            raise ValidationError("Answer due by must be in the future")
        return due


class AssuranceAnswerForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the response"

    response = _area("The agency's response", required=True, rows=6,
                     error_messages={"required": "Enter the agency's response"})
    responded_on = DateField(label="Date of the response")


class CloseForm(GovUKFormMixin, forms.Form):
    submit_label = "Close the case"

    themes = forms.ModelMultipleChoiceField(label="Themes for the SIN-stage themes log", queryset=None,
                                            widget=forms.CheckboxSelectMultiple, required=False,
                                            help_text="Select all that apply")
    note = _area("Note (optional)", rows=3)

    def __init__(self, *args, theme_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if theme_queryset is None:
            del self.fields["themes"]
        else:
            self.fields["themes"].queryset = theme_queryset
