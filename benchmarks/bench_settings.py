"""The production settings, plus the two things a benchmark run on this machine needs.

- ``STATIC_ROOT`` in a temporary folder (``BENCH_STATIC_ROOT``), so ``collectstatic`` for the manifest storage
  never writes into the working tree.
- ``ROOT_URLCONF`` that also registers a plain admin for cases: "what a team would use instead" of the case list.
  The project itself does not put cases in the Django admin; the benchmark compares against the admin a team
  would get for free.
- the ``benchmarks`` app, whose ``generate_national_data`` command fills the benchmark database. It imports every
  stage app, so it lives here and never in the core.
"""

import os

from rapidreview.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
ROOT_URLCONF = "benchmarks.bench_urls"
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
