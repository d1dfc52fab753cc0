"""A separate process for the reference concurrency test: ``python -m tests.referrals.reference_worker``.

Arguments: the Unix time to start at (so that the processes start together), how many referrals to make, and the
slugs of the partnerships to refer to in turn. Prints the references it was given, as JSON.
"""

import json
import sys
import time


def main() -> None:
    go_at, count, slugs = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]

    import django

    django.setup()
    from rapidreview.accounts.models import Partnership
    from referrals.services import referral_submit

    partnerships = [Partnership.objects.get(slug=slug) for slug in slugs]
    time.sleep(max(0.0, go_at - time.time()))
    references = []
    for n in range(count):
        partnership = partnerships[n % len(partnerships)]
        case = referral_submit(source="professional", partnership=partnership, data={
            "child_first_name": f"Child{n}", "referrer_name": "Rita Referrer", "description": "Found injured."})
        references.append([partnership.slug, case.reference])
    print(json.dumps(references))


if __name__ == "__main__":
    main()
