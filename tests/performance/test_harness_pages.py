"""The benchmark measures every page a person lands on (issue 20): a new page cannot land unmeasured.

Pages without arguments are found by walking the URL conf, so they are measured automatically. A page with
arguments must be placed: measured where people land on it (``DETAIL_PAGES``), or named as reached only from a
measured page (``NOT_LANDING``, with the reason).
"""

from django.urls import reverse

from benchmarks import pages


def test_every_page_with_arguments_is_measured_or_placed_with_a_reason():
    with_arguments = set(pages.pages_with_arguments())
    placed = set(pages.DETAIL_PAGES) | set(pages.NOT_LANDING)
    assert not with_arguments - placed, f"not in benchmarks/pages.py: {sorted(with_arguments - placed)}"
    assert not placed - with_arguments, f"no such page any more: {sorted(placed - with_arguments)}"
    assert not set(pages.DETAIL_PAGES) & set(pages.NOT_LANDING)
    assert all(reason.strip() for reason in pages.NOT_LANDING.values())


def test_pages_without_arguments_come_from_the_url_conf():
    found = set(pages.pages_without_arguments())
    # A few every role lands on, from the navigation: found without being listed anywhere.
    assert {"home", "what_needs_me", "referrals:case_list", "actionplan:list", "agencychecks:index",
            "clocks:all", "themes:statistics"} <= found
    assert not any(name.startswith("admin:") for name in found)
    for name in found:
        reverse(name)  # really without arguments


def test_the_landing_pages_measured_include_the_ones_users_meet_first():
    assert {"referrals:case_detail", "agencychecks:form", "decisions:sheet", "decisions:sheet_pdf",
            "agencychecks:pack_pdf", "actionplan:detail"} <= set(pages.DETAIL_PAGES)
