"""What every decisions form shares. Dates a person types use GOV.UK day/month/year boxes."""

from rapidreview.forms import DateInputField


def date_field(label: str, required: bool = True, help_text: str = "") -> DateInputField:
    field = DateInputField(label=label, required=required, help_text=help_text or "For example, 27 3 2026")
    field.error_messages = {**field.error_messages, "required": f"Enter the {label[0].lower()}{label[1:]}",
                            "incomplete": f"Enter the {label[0].lower()}{label[1:]} as a day, month and year"}
    return field
