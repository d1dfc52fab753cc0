import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import ClockKind, ClockState

OPEN = "open"


class DeadlineFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Kind of deadline", choices=ClockKind.choices, empty_label="Any")
    # Open deadlines unless the business unit asks for others: ten years of met ones would fill the first pages.
    state = django_filters.ChoiceFilter(label="State", empty_label="Any", method="filter_state",
                                        choices=[(OPEN, "Running or overdue"), *ClockState.choices])
    overdue = django_filters.BooleanFilter(label="Only overdue", method="filter_overdue",
                                           widget=forms.CheckboxInput)
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due on or before",
                                           widget=forms.DateInput(attrs={"type": "date"}))
    reference = django_filters.CharFilter(label="Case reference", lookup_expr="icontains")

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=[ClockState.RUNNING, ClockState.OVERDUE])
        return queryset.filter(state=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(state=ClockState.OVERDUE) | Q(state=ClockState.RUNNING,
                                                               due_on__lt=timezone.localdate()))
