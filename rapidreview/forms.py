"""Form helpers shared by every app: GOV.UK layouts through crispy-forms-gds."""

from crispy_forms.layout import Layout
from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.fields import DateInputField as GDSDateInputField
from crispy_forms_gds.helper import FormHelper
from django.core.exceptions import ImproperlyConfigured, ValidationError


class GovUKFormHelper(FormHelper):
    """A crispy-forms-gds helper that reads the form's fields when it renders, not when it was made.

    Without an explicit layout it shows the form's fields as they are at render time, in their final order, so a
    field added or reordered in ``__init__`` after the helper exists is shown (ADR 0010). With an explicit layout, a
    visible field the layout leaves out is a programming error and rendering fails loudly instead of hiding it.
    Hidden fields are always rendered.
    """

    render_hidden_fields = True

    def __init__(self, form):
        super().__init__()  # no form: crispy would snapshot the fields it has now into a default layout
        self.form = form
        self._layout = None

    @property
    def layout(self):
        return self._layout if self._layout is not None else Layout(*self.form.fields)

    @layout.setter
    def layout(self, value):
        self._layout = value

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        shown = {pointer.name for pointer in self.layout.get_field_names()}
        left_out = [name for name, field in form.fields.items() if name not in shown and not field.widget.is_hidden]
        if left_out:
            raise ImproperlyConfigured(
                f"{type(form).__name__}'s layout leaves out {', '.join(left_out)}: add them to the layout, or build "
                "the layout after the fields are final")
        return super().render_layout(form, context, template_pack=template_pack)


class GovUKFormMixin:
    """Gives a form a crispy-forms-gds helper with one primary button; the error summary comes with it.

    Add, remove and reorder fields anywhere in ``__init__`` (or in ``build_layout``): the layout is read when the form
    is rendered. A form that sets ``self.helper.layout`` must name every visible field in it.
    """

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = GovUKFormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.build_layout()

    def build_layout(self):
        """Override to change fields or set ``self.helper.layout``; by default the final fields show in order."""


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
