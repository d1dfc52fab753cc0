from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "actionplan"
