from django import forms

from rapidreview.forms import DateInputField, GovUKFormMixin

from .models import NonWorkingDay


class RecalculateForm(GovUKFormMixin, forms.Form):
    submit_label = "Change due date"

    due_on = DateInputField(label="New due date", help_text="For example, 27 3 2027")
    reason = forms.CharField(label="Why is the due date changing?", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=2000, help_text="This is kept with the deadline's history.",
                             error_messages={"required": "Enter why the due date is changing"})


class NonWorkingDayForm(GovUKFormMixin, forms.ModelForm):
    submit_label = "Add non-working day"

    date = DateInputField(label="Date", help_text="For example, 24 12 2027")

    class Meta:
        model = NonWorkingDay
        fields = ["date", "reason"]
        labels = {"reason": "Reason"}
        help_texts = {"reason": "For example, office closure between Christmas and New Year."}
        error_messages = {"reason": {"required": "Enter the reason"}}

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if NonWorkingDay.objects.filter(partnership=self.partnership, date=day).exists():
            raise forms.ValidationError("This date is already a non-working day")
        return day
