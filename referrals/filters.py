"""Filters for the case list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import Case, IncidentChild, Route, Source, Stage


def _years():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, this_year - 8, -1)]


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Reference or child's name", method="search")
    stage = django_filters.ChoiceFilter(label="Stage", choices=Stage.choices, empty_label="Any stage")
    source = django_filters.ChoiceFilter(label="Kind of referral", choices=Source.choices, empty_label="Any")
    route = django_filters.ChoiceFilter(label="What is notified", choices=Route.choices, empty_label="Any")
    year = django_filters.ChoiceFilter(label="Year received", choices=_years, empty_label="Any year",
                                       method="by_year")
    overdue = django_filters.BooleanFilter(label="Only cases with an overdue deadline", field_name="has_overdue",
                                           widget=forms.CheckboxInput, method="only_overdue")

    class Meta:
        model = Case
        fields = ["q", "stage", "source", "route", "year", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "govuk-checkboxes__input" if name == "overdue" else (
                "govuk-select" if isinstance(field.widget, forms.Select) else "govuk-input")
            field.widget.attrs["class"] = css

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        terms = Q(reference__icontains=value) | Q(child_first_name__icontains=value) | \
            Q(child_last_name__icontains=value)
        parts = value.split()
        if len(parts) > 1:
            terms |= Q(child_first_name__iexact=parts[0], child_last_name__icontains=" ".join(parts[1:]))
        # Further children in the incident: looked up only among cases that have them (children_count > 1).
        others = Q(first_name__icontains=value) | Q(last_name__icontains=value)
        if len(parts) > 1:
            others |= Q(first_name__iexact=parts[0], last_name__icontains=" ".join(parts[1:]))
        terms |= Q(children_count__gt=1, pk__in=IncidentChild.objects.filter(others).values("case_id"))
        return queryset.filter(terms)

    def by_year(self, queryset, name, value):
        return queryset.filter(referral__received_on__year=int(value)) if value else queryset

    def only_overdue(self, queryset, name, value):
        return queryset.filter(has_overdue=True) if value else queryset
