"""gunicorn's settings beside the command line (Dockerfile, benchmarks/run.py): read from the working directory."""


def post_worker_init(worker):
    """Each worker loads its views, templates and calendar and renders a small PDF as it starts, so that the first
    request it serves is as fast as the next (rapidreview.warmup; issue 20)."""
    from rapidreview.warmup import warm_worker  # the application is loaded by now; this file is read before it is

    worker.log.info("Worker warmed up (seconds): %s", warm_worker())
