from django.apps import AppConfig


class AgencyChecksConfig(AppConfig):
    name = "agencychecks"
