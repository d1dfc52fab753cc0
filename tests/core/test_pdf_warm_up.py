"""A worker loads its views, templates and calendar and renders a small PDF when it starts (issue 20), so that a
person's first page or document is not the slow one."""

import gc
import importlib.util
from pathlib import Path
from unittest import mock

from celery.signals import worker_process_init
from django.conf import settings
from django.template.loader import get_template

from rapidreview import pdf, warmup, workdays


def test_the_warm_up_renders_through_the_one_renderer(monkeypatch):
    rendered = []
    real = pdf.render_pdf

    def spy(template, context, **kwargs):
        out = real(template, context, **kwargs)
        rendered.append((template, out))
        return out

    monkeypatch.setattr(pdf, "render_pdf", spy)
    assert pdf.warm_up() > 0
    [(template, content)] = rendered
    assert template == "pdf/warm_up.html" and content.startswith(b"%PDF")


def test_every_gunicorn_worker_warms_up_when_it_starts():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    worker = mock.Mock()
    with mock.patch.object(warmup, "warm_worker", return_value={"pdf": 0.5}) as warm_worker:
        conf.post_worker_init(worker)
    warm_worker.assert_called_once_with()
    worker.log.info.assert_called_once()


def test_a_celery_worker_process_warms_up_and_survives_a_failure():
    connected = [receiver() for _, receiver in worker_process_init.receivers]
    assert warmup.warm_celery_worker in connected  # Celery sends it in each new worker process
    with mock.patch.object(warmup, "warm_worker", side_effect=OSError("no fonts")) as warm_worker:
        warmup.warm_celery_worker()  # logged, not raised
    warm_worker.assert_called_once_with()


def test_the_worker_warm_up_loads_every_view_template_and_the_calendar(monkeypatch):
    workdays.bank_holidays.cache_clear()
    compiled = []
    monkeypatch.setattr(warmup, "get_template", lambda name: compiled.append(name) or get_template(name))
    try:
        timings = warmup.warm_worker()
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()  # this test process goes on to other tests
    assert set(timings) == {"views", "templates", "calendar", "pdf", "freeze"}
    assert frozen > 10_000  # what was loaded is left out of full collections
    assert {"base.html", "referrals/case_detail.html", "decisions/sheet_pdf.html",
            "notifications/email/layout.txt"} <= set(compiled)
    assert workdays.bank_holidays.cache_info().currsize >= 2  # this year and next, kept for the first request
