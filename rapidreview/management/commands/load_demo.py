"""Load the demo: the core people and agencies, then each stage app's ``demo.load(context)`` in process order.

The stage apps are found through Django's app registry: every app whose ``AppConfig`` declares ``demo_order``
has a ``demo`` module with ``load(context)``, run in ascending ``demo_order``. The core names no stage app.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from rapidreview import demo
from rapidreview.clocks import demo as clocks_demo


def demo_apps() -> list:
    """The installed apps that have a demo, in the order their demos load."""
    configs = [config for config in apps.get_app_configs() if getattr(config, "demo_order", None) is not None]
    return sorted(configs, key=lambda config: config.demo_order)


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run in production unless --force is given."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with production settings.")

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(
                "Refusing to load demo data in production: its accounts share a published password. "
                "Use --force only on a throwaway trial server."
            )
        with transaction.atomic():
            context = demo.load()
            clocks_demo.load(context)
            for config in demo_apps():
                import_string(f"{config.name}.demo.load")(context)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {len(context['users'])} people. Password for every demo login: {demo.DEMO_PASSWORD}"
        ))
