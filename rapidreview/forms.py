"""Form helpers shared by every app: GOV.UK layouts through crispy-forms-gds."""

from crispy_forms_gds.fields import DateInputField as GDSDateInputField
from crispy_forms_gds.helper import FormHelper
from django.core.exceptions import ValidationError


class GovUKFormMixin:
    """Gives a form a crispy-forms-gds helper with one primary button; the error summary comes with it."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.build_layout()

    def build_layout(self):
        """Override to set ``self.helper.layout``; the default shows the fields in order."""


class DateInputField(GDSDateInputField):
    """GOV.UK day/month/year date field that never lets a huge number become a server error.

    crispy-forms-gds lets OverflowError escape for a year like 99999999999999999999; this gives the usual message.
    Every form that asks for a date uses this field.
    """

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (OverflowError, TypeError) as error:
            raise ValidationError("Enter a real date", code="invalid") from error
