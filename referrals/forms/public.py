"""The public referral form at /refer/."""

from crispy_forms_gds.layout import Div, Field, Fieldset, Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import Harm
from .common import DateField, area, radios, text


class PublicReferralForm(GovUKFormMixin, forms.Form):
    """The public form: plain words, only what we need to get in touch and understand the worry."""

    submit_label = "Continue"

    referrer_name = text("Your name", required=True, error_messages={"required": "Enter your name"})
    referrer_role = text("How do you know the child?", help_text="For example: parent, aunt, neighbour")
    referrer_email = forms.EmailField(label="Your e-mail address (optional)", required=False,
                                      help_text="We will send you a message to say we received your referral",
                                      error_messages={"invalid": "Enter an e-mail address in the correct format, "
                                                                 "like name@example.com"})
    referrer_phone = text("Your phone number (optional)", max_length=40)
    referrer_address = area("Your address (optional)", rows=3, max_length=1000,
                            help_text="So we can write to you with what we decide")
    child_first_name = text("Child's first name", required=True, max_length=100,
                            error_messages={"required": "Enter the child's first name"})
    child_last_name = text("Child's last name", max_length=100)
    child_dob = DateField(label="Child's date of birth", required=False)
    child_age = text("Child's age, if you do not know their date of birth", max_length=40)
    child_address = area("Where does the child live?", rows=3, max_length=1000)
    harm = radios(Harm.choices, "Did the child die or were they seriously hurt?", required=True,
                  error_messages={"required": "Select whether the child died or was seriously hurt"})
    incident_date = DateField(label="When did it happen?", name="the date it happened")
    description = area("What happened?", required=True, rows=8, max_length=10000,
                       error_messages={"required": "Tell us what happened"})
    criteria_reasons = area("What worries you about how services worked together?", rows=6, max_length=5000)
    other_agencies = text("Which services knew the child or family?", max_length=500,
                          help_text="For example: school, GP, social worker, police")
    # A field people never see: bots fill it in.
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

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


AREA_HELP = ("The safeguarding partnership for the area where the child died or was hurt looks at what you tell us. "
             "If you are not sure, choose where the child lives.")


class PartnershipChoiceForm(GovUKFormMixin, forms.Form):
    """Which partnership a public referral goes to: the area where it happened (that partnership leads a review).

    ``partnerships`` are the ones offered: every one on a small installation, else those matching the search. The
    hidden ``searched`` is always sent with the choice (so that an empty answer is an error, not a fresh page) and
    holds the search term, so that the same areas are offered again if the answer is wrong.
    """

    submit_label = "Continue"

    area = forms.ChoiceField(label="Which area did this happen in?", widget=forms.RadioSelect, help_text=AREA_HELP,
                             error_messages={"required": "Select the area where it happened",
                                             "invalid_choice": "Select the area where it happened"})
    searched = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partnerships, after_search: bool = False, **kwargs):
        self.after_search = after_search
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            (p.slug, f"{p.local_authority_name} ({p.name})" if p.local_authority_name else p.name)
            for p in partnerships]
        if after_search:
            self.fields["area"].label = "Choose the area"
            self.fields["area"].help_text = ""

    def build_layout(self):
        self.helper.disable_csrf = True  # sent with GET: no token in the address
        if self.after_search:
            self.helper.layout = Layout(Field.radios("area", legend_size="m", legend_tag="h2"), "searched")
        else:
            self.helper.layout = Layout(Field.radios("area", legend_size="l", legend_tag="h1"), "searched")


class PartnershipSearchForm(GovUKFormMixin, forms.Form):
    """On an installation with many partnerships: find the area by the council's or the partnership's name."""

    submit_label = "Search"

    q = forms.CharField(label="Enter the name of the council or area", min_length=2, max_length=100,
                        help_text=f"For example, Tower Hamlets or Cornwall. {AREA_HELP}",
                        error_messages={"required": "Enter the name of the council or area",
                                        "min_length": "Enter at least 2 letters of the name of the council or area"})

    def build_layout(self):
        self.helper.disable_csrf = True  # sent with GET: no token in the address
        self.helper.layout = Layout(Field.text("q", label_size="m", label_tag="h2"))
