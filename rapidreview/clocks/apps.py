from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "rapidreview.clocks"
    label = "clocks"
    verbose_name = "Statutory clocks and reminders"
