"""Writes on themes and the themes logs. Every stage records a case's themes through ``case_log_themes``."""

from django.db import transaction
from django.utils.text import slugify

from rapidreview.db import DomainError
from referrals.timeline import case_record_event

from .models import CaseTheme, Theme, ThemeLog
from .standard import STANDARD_THEMES

# Every partnership keeps its own list (ADR 0015): names, slugs and the themes logged on a case are the case's
# leading partnership's.



def _unique_slug(name: str, *, partnership, exclude_pk=None) -> str:
    base = slugify(name)[:120] or "theme"
    slug, n = base, 2
    while Theme.objects.filter(partnership=partnership, slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_name(name: str, *, partnership, exclude_pk=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter the theme's name.")
    if Theme.objects.filter(partnership=partnership, name__iexact=name).exclude(pk=exclude_pk).exists():
        raise DomainError(f"There is already a theme called “{name}”.")
    return name


@transaction.atomic
def theme_create(*, partnership, name: str, description: str = "", actor=None) -> Theme:
    """Add a theme to ``partnership``'s list."""
    name = _check_name(name, partnership=partnership)
    theme = Theme(partnership=partnership, name=name, slug=_unique_slug(name, partnership=partnership),
                  description=description)
    theme._history_user = actor
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, name: str, description: str, is_active: bool, actor=None) -> Theme:
    locked = Theme.objects.select_for_update().get(pk=theme.pk)
    locked.name = _check_name(name, partnership=locked.partnership_id, exclude_pk=locked.pk)
    locked.description = description
    locked.is_active = is_active
    locked._history_user = actor
    locked.save()
    return locked


@transaction.atomic
def theme_set_active(*, theme: Theme, is_active: bool, actor=None) -> Theme:
    locked = Theme.objects.select_for_update().get(pk=theme.pk)
    locked.is_active = is_active
    locked._history_user = actor
    locked.save(update_fields=["is_active", "updated_at"])
    return locked


@transaction.atomic
def themes_seed(*, partnership) -> int:
    """Give ``partnership`` the standard list (idempotent: names it already has are left alone, whatever their
    case or state). Returns how many themes were added."""
    have = {name.lower() for name in Theme.objects.filter(partnership=partnership).values_list("name", flat=True)}
    added = 0
    for name in STANDARD_THEMES:
        if name.lower() not in have:
            Theme.objects.create(partnership=partnership, name=name,
                                 slug=_unique_slug(name, partnership=partnership))
            added += 1
    return added


@transaction.atomic
def case_log_themes(*, case, themes, log: str, actor, source: str = "", recorded_at=None) -> list[CaseTheme]:
    """Make ``themes`` the case's themes in ``log``: add the missing ones and remove the others.

    Idempotent: calling it again with the same themes changes nothing (rows keep their first recorded date).
    ``themes`` may hold Theme objects or their primary keys, from the list of the partnership leading the case (so
    that recurrence and the statistics count within it). Returns the case's rows in that log.
    """
    if log not in ThemeLog.values:
        raise DomainError("Choose which themes log to record in.")
    wanted = {t.pk if isinstance(t, Theme) else t for t in themes}
    if wanted and Theme.objects.filter(pk__in=wanted, partnership_id=case.partnership_id).count() != len(wanted):
        raise DomainError("One of the themes is not on the list of the partnership leading this case.")
    existing = {row.theme_id: row for row in CaseTheme.objects.select_for_update().filter(case=case, log=log)}
    removed = [row for theme_id, row in existing.items() if theme_id not in wanted]
    added = [theme_id for theme_id in wanted if theme_id not in existing]
    for row in removed:
        row._history_user = actor
        row.delete()
    extra = {"recorded_at": recorded_at} if recorded_at else {}
    for theme_id in added:
        row = CaseTheme(case=case, theme_id=theme_id, log=log, source=source[:200], recorded_by=actor, **extra)
        row._history_user = actor
        row.save()
    if added or removed:
        names = list(Theme.objects.filter(pk__in=wanted).order_by("name").values_list("name", flat=True))
        case_record_event(case=case, kind="themes", actor=actor,
                          summary=f"Themes recorded in the {ThemeLog(log).label.lower()} log",
                          note=", ".join(names) or "No themes")
    return list(CaseTheme.objects.filter(case=case, log=log).select_related("theme").order_by("theme__name"))
