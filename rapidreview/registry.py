"""Where stage apps plug into the shared shell: navigation and dashboard cards.

The core imports no stage app; each stage app registers its items from ``AppConfig.ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 50


@dataclass(frozen=True)
class DashboardCard:
    """``build(request)`` returns a context dict for ``template``, or None to show nothing."""

    template: str
    build: Callable
    roles: tuple[str, ...]
    order: int = 50


_nav: list[NavItem] = []
_cards: list[DashboardCard] = []


def register_nav(label: str, url_name: str, roles: tuple[str, ...], order: int = 50) -> None:
    if not any(item.url_name == url_name for item in _nav):
        _nav.append(NavItem(label, url_name, tuple(roles), order))
        _nav.sort(key=lambda item: item.order)


def register_card(template: str, build: Callable, roles: tuple[str, ...], order: int = 50) -> None:
    if not any(card.template == template for card in _cards):
        _cards.append(DashboardCard(template, build, tuple(roles), order))
        _cards.sort(key=lambda card: card.order)


def nav_for(user, current_path: str = "") -> list[dict]:
    items = []
    for item in _nav:
        if item.roles and not user.has_role(*item.roles):
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "active": active})
    return items


def cards_for(request) -> list[dict]:
    shown = []
    for card in _cards:
        if card.roles and not request.user.has_role(*card.roles):
            continue
        context = card.build(request)
        if context is not None:
            shown.append({"template": card.template, "context": context})
    return shown


# The case page is owned by ``referrals``; later stages add sections and task-list rows to it without being
# imported by it. ``build(request, case)`` returns a context dict for ``template`` (or None to show nothing);
# ``tasks(case)`` returns a list of dicts: {"label", "url" (or None), "status" ("done"|"todo"|"in_progress"|
# "cannot_start"|"optional"), "hint" (optional)} for the GOV.UK task list.
@dataclass(frozen=True)
class CaseSection:
    template: str
    build: Callable
    order: int = 50


_case_sections: list[CaseSection] = []
_case_task_builders: list[tuple[int, Callable]] = []
_case_records: list[str] = []


# One case page reads each thing once (ADR 0019). Sections and task rows of one request share the one case object:
# - a stage's one-to-one records of the case (its panel, its pack, ...) are named here from ``AppConfig.ready()``
#   and loaded with the case in its one query; builders read them from the case (``referrals.selectors.one_to_one``);
# - anything else two builders need (a deadline, the forms' states) goes through ``once_per_case``, which remembers
#   only on the case object the case page loaded (``case_page_object``); any other case object reads afresh, so a
#   service or a test that changes something and asks again sees the change.
def register_case_records(*names: str) -> None:
    """Name one-to-one relations of the case (``related_name``s, or paths through them such as
    ``"decision_sheet__current"``) that the case page loads with the case."""
    for name in names:
        if name not in _case_records:
            _case_records.append(name)


def case_records() -> list[str]:
    return list(_case_records)


_case_annotations: dict[str, Callable] = {}


def register_case_annotation(name: str, build: Callable) -> None:
    """A value a section reads from a table that is not a relation of the case (the core's own, keyed by the case's
    id), computed in the case page's one query: ``build()`` returns the expression (a ``Subquery`` on
    ``OuterRef("pk")``), and the section reads ``name`` from the case."""
    _case_annotations[name] = build


def case_annotations() -> dict:
    return {name: build() for name, build in _case_annotations.items()}


def case_page_object(case):
    """Mark ``case`` as the one object of one case page request: ``once_per_case`` remembers on it."""
    case.__dict__["_once_per_case"] = {}
    return case


def once_per_case(case, name: str, compute: Callable):
    """``compute()`` the first time the case page's builders ask for ``name`` on its case object, the same value
    afterwards; on any other case object, ``compute()`` every time."""
    memo = case.__dict__.get("_once_per_case")
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def register_case_section(template: str, build: Callable, order: int = 50) -> None:
    if not any(s.template == template for s in _case_sections):
        _case_sections.append(CaseSection(template, build, order))
        _case_sections.sort(key=lambda s: s.order)


def register_case_tasks(tasks: Callable, order: int = 50) -> None:
    if not any(t is tasks for _, t in _case_task_builders):
        _case_task_builders.append((order, tasks))
        _case_task_builders.sort(key=lambda pair: pair[0])


def case_sections_for(request, case) -> list[dict]:
    shown = []
    for section in _case_sections:
        context = section.build(request, case)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown


# Which cases a person may see is decided by ``referrals`` (with the grants and exclusions later stages register
# there). The core's own case pages (the audit history) ask through this hook instead of importing a stage app.
_case_lookups: list[Callable] = []


def register_case_lookup(lookup: Callable) -> None:
    """``lookup(user, case_id)`` returns the case, or raises Http404 when it is missing or hidden from ``user``."""
    _case_lookups[:] = [lookup]


def visible_case(user, case_id):
    """The case through its app's own access rule. Fails closed: an error, never a case, when no rule is known."""
    if not _case_lookups:
        raise ImproperlyConfigured("No app has registered the case access rule (register_case_lookup).")
    return _case_lookups[0](user, case_id)


def case_tasks_for(case) -> list[dict]:
    rows = []
    for _, build in _case_task_builders:
        rows.extend(build(case) or [])
    return rows
