"""What a fresh worker loads before its first request, so that the first person it serves waits no longer than the
next (issue 20: "a worker's first included"; docs/performance.md).

Measured on the national benchmark database, a sheet PDF rendered by a fresh process took 0.88 s after the PDF
warm-up alone and 0.49 s after everything here; a fresh worker otherwise pays, in its first requests, for importing
every view when Django first resolves an address (0.44 s), compiling the templates a page uses (0.39 s for all of
them) and importing England's bank holidays the first time a working day is counted (0.35 s).
"""

import datetime
import gc
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.template import TemplateSyntaxError
from django.template.autoreload import get_template_directories
from django.template.loader import get_template
from django.urls import get_resolver

from rapidreview import pdf, workdays

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def _compile_templates() -> int:
    """Compile every template once (the cached loader keeps them for the life of the process)."""
    compiled = 0
    for folder in get_template_directories():
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                continue
            try:
                get_template(str(path.relative_to(folder)))
            except TemplateSyntaxError:
                logger.exception("Template %s does not compile", path)
                continue
            compiled += 1
    return compiled


def _timed(work: Callable) -> float:
    start = time.perf_counter()
    work()
    return round(time.perf_counter() - start, 3)


def _freeze_heap() -> None:
    """Leave what was loaded so far out of the garbage collector's full collections: they look at every object
    still tracked, and the loaded views, templates and renderer never become garbage. Measured on the national
    benchmark database, 15 decision sheets in a row: slowest 0.68 s before, 0.55 s after, median unchanged
    (``gc.freeze``, Python 3.7+)."""
    gc.collect()
    gc.freeze()


def warm_worker() -> dict[str, float]:
    """Load what the first requests would: every view (through the URL configuration), every template, this
    year's and next year's bank holidays, and the PDF renderer; then freeze that heap. Returns seconds for each."""
    year = datetime.date.today().year
    return {
        "views": _timed(lambda: get_resolver().url_patterns),
        "templates": _timed(_compile_templates),
        "calendar": _timed(lambda: workdays.bank_holidays(year) | workdays.bank_holidays(year + 1)),
        "pdf": round(pdf.warm_up(), 3),
        "freeze": _timed(_freeze_heap),
    }


def warm_celery_worker(**kwargs) -> None:
    """Celery's ``worker_process_init``: each worker process warms up as it starts, so the first pack it prepares is
    as fast as the next. A failure is logged, not raised: the worker still sends e-mails and sweeps the clocks.
    Connected by ``rapidreview.notifications`` once the apps are loaded (this module reads models)."""
    try:
        logger.info("Worker warmed up (seconds): %s", warm_worker())
    except Exception:  # noqa: BLE001 - logged with its traceback; a document request will show the same error
        logger.exception("Worker warm-up failed")
