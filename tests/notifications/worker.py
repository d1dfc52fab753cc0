"""A separate process for the concurrency tests: ``python -m tests.notifications.worker <command> [args]``.

Commands: ``sweep`` (the reminder sweep, delivering each e-mail in this process as the worker would) and
``deliver <id>`` (one delivery). ``--at`` runs at that moment (time-machine, the clock keeps ticking);
``--go-at`` waits until that Unix time so that two processes start together. Prints the result as JSON.
"""

import argparse
import datetime
import json
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["sweep", "deliver", "drain"])
    parser.add_argument("ids", nargs="*", type=int)
    parser.add_argument("--at", default="")
    parser.add_argument("--go-at", type=float, default=0.0)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    if os.environ.get("OUTBOX_LEASE_SECONDS"):
        settings.OUTBOX_LEASE_SECONDS = int(os.environ["OUTBOX_LEASE_SECONDS"])

    import time_machine

    if options.go_at:  # real time, before any travelling
        time.sleep(max(0.0, options.go_at - time.time()))
    traveller = time_machine.travel(datetime.datetime.fromisoformat(options.at), tick=True) if options.at else None
    if traveller:
        traveller.start()
    result = run(options)
    if traveller:
        traveller.stop()
    print(json.dumps(result, default=str))
    sys.stdout.flush()


def run(options) -> dict:
    from django.utils import timezone

    from rapidreview.clocks.tasks import run_sweep
    from rapidreview.notifications.delivery import deliver, due_q
    from rapidreview.notifications.models import Notification

    if options.command == "sweep":
        return run_sweep()
    if options.command == "deliver":
        return {str(pk): deliver(pk)[0].value for pk in options.ids}
    # drain: deliver every due row until none is left (a worker working through the queue)
    outcomes = []
    while True:
        ids = list(Notification.objects.filter(due_q(timezone.now())).values_list("pk", flat=True)[:50])
        if not ids:
            return {"outcomes": len(outcomes)}
        outcomes += [deliver(pk)[0].value for pk in ids]


if __name__ == "__main__":
    main()
