"""The access log's filters. Every filtered list uses django-filter, with a GOV.UK form (ADR 0007)."""

import django_filters

from rapidreview.accounts.models import User

from .forms import AccessLogFilterForm, SafeDateField
from .models import AccessAction, AccessLog
from .selectors import access_log_object_types, access_log_people


class SafeDateFilter(django_filters.DateFilter):
    """A date filter asked for with GOV.UK day, month and year boxes."""

    field_class = SafeDateField


class AccessLogFilter(django_filters.FilterSet):
    """Filters on one partnership's access log: its people and the kinds of record in its lines (``reader``'s
    acting partnership), never anyone else's."""

    user = django_filters.ModelChoiceFilter(label="Person", queryset=User.objects.none(), empty_label="Anyone")
    action = django_filters.ChoiceFilter(label="What they did", choices=AccessAction.choices, empty_label="Anything")
    object_type = django_filters.ChoiceFilter(label="Kind of record", empty_label="Any", choices=[])
    date_from = SafeDateFilter(label="From", field_name="at", lookup_expr="date__gte")
    date_to = SafeDateFilter(label="To", field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AccessLog
        fields = ["user", "action", "object_type", "date_from", "date_to"]
        form = AccessLogFilterForm

    def __init__(self, data=None, *args, reader, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["user"].queryset = access_log_people(reader)
        self.filters["object_type"].extra["choices"] = [(t, t) for t in access_log_object_types(reader) if t]
