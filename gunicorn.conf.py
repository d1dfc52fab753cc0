"""gunicorn's settings beside the command line (Dockerfile, benchmarks/run.py): read from the working directory."""


def post_worker_init(worker):
    """Each worker renders a small PDF as it starts, so that the first document a person asks for is as fast as
    the next (rapidreview.pdf.warm_up; issue 20)."""
    from rapidreview.pdf import warm_up  # the application is loaded by now; this file is read before it is

    worker.log.info("PDF renderer warmed up in %.2f s", warm_up())
