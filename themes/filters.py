"""The themes logs' filters. Every filtered list uses django-filter, with a GOV.UK form (ADR 0007)."""

import django_filters

from rapidreview.accounts.models import Agency

from .forms import LogFilterForm, year_choices
from .models import CaseTheme, Theme


class LogFilter(django_filters.FilterSet):
    """Filters a log's rows (one per case and theme); the page then lists the cases those rows belong to.

    ``themes`` and ``agencies`` are the choices: the acting partnership's (the view gets them from selectors).
    """

    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.none(), empty_label="All themes")
    year = django_filters.ChoiceFilter(choices=year_choices, field_name="recorded_at", lookup_expr="year",
                                       empty_label="All years")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.none(), empty_label="All agencies",
                                              label="Agency involved", field_name="case__involved_agencies")

    class Meta:
        model = CaseTheme
        fields = ["theme", "year", "agency"]
        form = LogFilterForm

    def __init__(self, *args, themes, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["theme"].queryset = themes
        self.filters["agency"].queryset = agencies
