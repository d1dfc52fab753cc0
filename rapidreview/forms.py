"""Form helpers shared by every app: GOV.UK layouts through crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper


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
