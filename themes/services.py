"""Writes on themes and the themes logs. Every stage records a case's themes through ``case_log_themes``."""

from django.db import transaction
from django.utils.text import slugify

from rapidreview.db import DomainError
from referrals.timeline import case_record_event

from .models import CaseTheme, Theme, ThemeLog

SEED_THEMES = [
    "Neglect",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Safe sleep and sudden unexpected death in infancy",
    "Non-accidental injury in infants",
    "Bruising in non-mobile babies",
    "Child sexual abuse",
    "Criminal and sexual exploitation",
    "Online harm",
    "Adolescent self-harm and suicide",
    "Serious youth violence",
    "Information sharing",
    "Professional curiosity",
    "The voice of the child",
    "Fathers and male carers",
    "Special educational needs and disability",
    "Race, culture and identity",
    "Housing",
    "Missed health appointments",
]


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:120] or "theme"
    slug, n = base, 2
    while Theme.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_name(name: str, exclude_pk=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter the theme's name.")
    if Theme.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise DomainError(f"There is already a theme called “{name}”.")
    return name


@transaction.atomic
def theme_create(*, name: str, description: str = "", actor=None) -> Theme:
    name = _check_name(name)
    theme = Theme(name=name, slug=_unique_slug(name), description=description)
    theme._history_user = actor
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, name: str, description: str, is_active: bool, actor=None) -> Theme:
    locked = Theme.objects.select_for_update().get(pk=theme.pk)
    locked.name = _check_name(name, exclude_pk=locked.pk)
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


def themes_seed() -> None:
    """Create the starting list (idempotent: existing names are left alone)."""
    for name in SEED_THEMES:
        if not Theme.objects.filter(name=name).exists():
            Theme.objects.create(name=name, slug=_unique_slug(name))


@transaction.atomic
def case_log_themes(*, case, themes, log: str, actor, source: str = "", recorded_at=None) -> list[CaseTheme]:
    """Make ``themes`` the case's themes in ``log``: add the missing ones and remove the others.

    Idempotent: calling it again with the same themes changes nothing (rows keep their first recorded date).
    ``themes`` may hold Theme objects or their primary keys. Returns the case's rows in that log.
    """
    if log not in ThemeLog.values:
        raise DomainError("Choose which themes log to record in.")
    wanted = {t.pk if isinstance(t, Theme) else t for t in themes}
    if wanted and Theme.objects.filter(pk__in=wanted).count() != len(wanted):
        raise DomainError("One of the themes does not exist.")
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
