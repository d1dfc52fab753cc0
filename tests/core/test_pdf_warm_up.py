"""A worker renders a small PDF when it starts (issue 20), so that a person's first document is not the slow one."""

import importlib.util
from pathlib import Path
from unittest import mock

from django.conf import settings

from rapidreview import celery as celery_module
from rapidreview import pdf


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
    with mock.patch.object(pdf, "warm_up", return_value=0.5) as warm_up:
        conf.post_worker_init(worker)
    warm_up.assert_called_once_with()
    worker.log.info.assert_called_once()


def test_a_celery_worker_process_warms_up_and_survives_a_failure():
    with mock.patch.object(celery_module, "warm_up", side_effect=OSError("no fonts")) as warm_up:
        celery_module.warm_up_the_pdf_renderer()  # logged, not raised
    warm_up.assert_called_once_with()
