"""``manage.py generate_national_data``: fill an empty benchmark database (see ``benchmarks.generator``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.generator import NATIONAL, SMALL, Generator
from referrals.models import Case


class Command(BaseCommand):
    help = "Generate a national-scale data set (bulk inserts, deterministic). Refuses production unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true",
                            help="200 cases, nearly all the measured partnership's: the baseline profile")
        for key, value in NATIONAL.items():
            kind = float if isinstance(value, float) else int
            parser.add_argument(f"--{key}", type=kind, default=None,
                                help=f"default {value:,} (small: {SMALL[key]:,})")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT")
        parser.add_argument("--password", default="benchmark-only-password",
                            help="the one password of every generated account")
        parser.add_argument("--force", action="store_true", help="Run even with production settings.")

    def handle(self, *args, **options):
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Refusing to generate benchmark data in production: its accounts share one "
                               "password. Use --force only on a throwaway database.")
        if Case.objects.exists() and not options["force"]:
            raise CommandError("The database already holds cases; generate into an empty, migrated database.")
        profile = SMALL if options["small"] else NATIONAL
        for key, value in profile.items():
            if options[key] is None:
                options[key] = value
        counts = Generator(options, self.stdout).run()
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Generated {options['cases']:,} cases (seed {options['seed']})."))
