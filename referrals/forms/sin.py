"""Recording the Serious Incident Notification."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from rapidreview.forms import GovUKFormMixin

from ..models import YesNoUnknown
from .common import DateField, area, radios, text


class SinForm(GovUKFormMixin, forms.Form):
    submit_label = "Record the notification"

    notified_on = DateField(label="Date notified to the National Panel")
    notification_reference = text("Notification reference", max_length=100,
                                  required=True, error_messages={"required": "Enter the notification reference"})
    ofsted_notified = radios(YesNoUnknown.choices[:2], "Was Ofsted notified?")
    secretary_of_state_notified = radios(YesNoUnknown.choices[:2], "Was the Secretary of State notified?")
    late_reason = area("Reason the notification was late", rows=4)

    def __init__(self, *args, case=None, due_on=None, tells_ofsted=False, notify_only=False, **kwargs):
        """``tells_ofsted``: a looked-after child's or a care leaver's notification (``sin_tells_ofsted``);
        ``notify_only``: to the Secretary of State and Ofsted only, not the National Panel."""
        self.case, self.due_on = case, due_on
        super().__init__(*args, **kwargs)
        if notify_only:
            self.fields["notified_on"].label = "Date notified"
            self.fields["notification_reference"].help_text = "The reference the DfE notification service gave"
        self.looked_after = tells_ofsted
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
