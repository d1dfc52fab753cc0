from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Development tooling (the national data generator). Installed by ``benchmarks.bench_settings`` only."""

    name = "benchmarks"
