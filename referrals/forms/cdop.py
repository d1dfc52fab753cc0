"""Recording a CDOP or JAR discussion, and recording that no referral is needed after one."""

from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import CdopForum
from .common import DateField, area, radios, text


class CdopDiscussionForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the discussion"
    forum = radios(CdopForum.choices, "Where was the case discussed?", required=True,
                   error_messages={"required": "Select where the case was discussed"})
    discussed_on = DateField(label="Date it was discussed", name="the date it was discussed")
    forum_reference = text("CDOP or JAR reference", required=True, max_length=100,
                           help_text="The panel's or meeting's own reference. Do not enter the child's name.",
                           error_messages={"required": "Enter the CDOP or JAR reference"})
    notes = area("Notes (optional)", rows=3)


class NoReferralForm(GovUKFormMixin, forms.Form):
    submit_label = "Record that no referral is needed"
    reason = area("Why is no referral to the Rapid Review Panel needed?", required=True,
                  error_messages={"required": "Say why no referral is needed"})
