from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rapidreview.accounts"
    label = "accounts"
    verbose_name = "People, agencies and the partnership"

    def ready(self):
        from rapidreview.registry import register_nav

        from . import signals  # noqa: F401 - connects the sign-in receivers
        from .admin import limit_case_content_to_superusers
        from .models import Role

        # Every app's admin module is loaded by now (django.contrib.admin comes first in INSTALLED_APPS).
        limit_case_content_to_superusers()

        register_nav("People", "accounts:people", roles=(Role.BUSINESS_UNIT,), order=90)
        register_nav("Your account", "accounts:account", roles=(), order=99)
