"""The signed-in referral wizard, one form per step: kind, referrer, child, household, incident, agencies and
criteria."""

from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms

from rapidreview.accounts.models import Agency, Role
from rapidreview.forms import GovUKFormMixin

from ..models import AbuseKind, CdopForum, Harm, Sex, Source, YesNoUnknown
from .common import DateField, area, radios, text


class KindForm(GovUKFormMixin, forms.Form):
    """Which way in. The business unit may also type in a public referral that reached it by e-mail or post."""

    source = radios([], "What kind of referral is this?", required=True,
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

    referrer_name = text("Full name", required=True, error_messages={"required": "Enter the referrer's name"})
    referrer_role = text("Job title or role")
    referrer_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False,
                                             empty_label="Not listed")
    referrer_organisation = text("Organisation, if the agency is not listed")
    referrer_email = forms.EmailField(label="E-mail address", required=False,
                                      error_messages={"invalid": "Enter an e-mail address in the correct format, "
                                                                 "like name@example.com"})
    referrer_phone = text("Telephone", max_length=40)
    referrer_address = area("Postal address", rows=3)
    how_received = text("How the referral reached the business unit", help_text="For example: by e-mail on 3 May")
    cdop_forum = radios(CdopForum.choices, "Where was the case discussed?", required=True,
                        error_messages={"required": "Select where the case was discussed"})
    cdop_discussed_on = DateField(label="Date it was discussed")
    discussed_with_manager = forms.BooleanField(
        label="I have discussed this referral with my manager and my agency's safeguarding lead",
        error_messages={"required": "Confirm that you discussed the referral with your manager and safeguarding "
                                    "lead"})

    def __init__(self, *args, user=None, source=Source.PROFESSIONAL, on_behalf=False, discussion_known=False,
                 **kwargs):
        self.source, self.on_behalf = source, on_behalf
        super().__init__(*args, **kwargs)
        self.fields["referrer_agency"].queryset = Agency.objects.filter(is_active=True)
        if source != Source.CDOP_JAR or discussion_known:
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

    def build_layout(self):
        # The helper laid out every declared field; only those this referral asks for are shown.
        self.helper.layout = Layout(*self.fields)


class ChildForm(GovUKFormMixin, forms.Form):
    child_first_name = text("First name", required=True, max_length=100,
                            error_messages={"required": "Enter the child's first name"})
    child_last_name = text("Last name", max_length=100)
    child_aliases = text("Other names or aliases", max_length=300)
    child_dob = DateField(label="Date of birth", required=False)
    child_age = text("Age, if the date of birth is not known", max_length=40)
    child_sex = radios(Sex.choices, "Sex")
    child_ethnicity = text("Ethnicity", max_length=100)
    child_disability = text("Disability, if any", max_length=300)
    child_home_la = text("Home local authority")
    child_address = area("Address", rows=3)
    looked_after = radios(YesNoUnknown.choices, "Was the child looked after by a local authority?")
    child_protection_plan = radios(YesNoUnknown.choices, "Was the child on a child protection plan?")

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
    name = text("Name", required=True, error_messages={"required": "Enter the household member's name"})
    relationship = text("Relationship to the child", max_length=100)
    age = text("Date of birth or age", max_length=40)
    notes = text("Anything else we should know", max_length=500)


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
    incident_la = text("Local authority where it happened")
    harm = radios(Harm.choices, "Did the child die or were they seriously harmed?", required=True,
                  error_messages={"required": "Select whether the child died or was seriously harmed"})
    abuse_kinds = forms.MultipleChoiceField(label="Kinds of abuse or neglect known or suspected",
                                            choices=AbuseKind.choices, widget=forms.CheckboxSelectMultiple,
                                            required=False, help_text="Select all that apply")
    description = area("What happened", required=True, rows=8,
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
    other_agencies = text("Other agencies involved", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(is_active=True)


class CriteriaForm(GovUKFormMixin, forms.Form):
    criteria_reasons = area("Why do you think the criteria for a rapid review are met?", required=True, rows=8,
                            help_text="Abuse or neglect of the child is known or suspected, and the child has "
                                      "died or been seriously harmed.",
                            error_messages={"required": "Explain why you think the criteria are met"})
    police_investigation = radios(YesNoUnknown.choices, "Is there a police investigation?")
    inquest = radios(YesNoUnknown.choices, "Is there an inquest?")
    other_reviews = area("Other reviews already under way", rows=3,
                         help_text="For example, a domestic homicide review or a safeguarding adults review")

    def build_layout(self):
        self.helper.layout = Layout(
            "criteria_reasons",
            Fieldset(Field.radios("police_investigation", inline=True), Field.radios("inquest", inline=True),
                     "other_reviews", legend="Other processes already known", legend_size="m"),
        )
