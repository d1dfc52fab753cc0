"""Load the demo: the core people and agencies, then each stage app's ``demo.load(context)`` in process order."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rapidreview import demo
from rapidreview.clocks import demo as clocks_demo

STAGE_APPS = ["referrals", "themes", "actionplan", "panels", "agencychecks", "decisions"]


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
            for app in STAGE_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").load(context)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded: {len(context['users'])} people. Password for every demo login: {demo.DEMO_PASSWORD}"
        ))
