"""What a partnership's export holds, found from the apps registry so that a new model is included by itself.

Every model of the installation is one of:

- **owned**: its rows belong to one partnership. Found by following required foreign keys: the partnership row
  itself; a required link to a case (the cases the partnership *leads*); a required link to the partnership; a
  required link to another owned model. Then, for models with no required link: an optional link to the
  partnership (with, for rows written before partnerships, a ``case_id`` of one of its cases), a bare ``case_id``
  column (the core's audit tables, which may not import the case model), or optional links to owned models.
- **history**: the simple-history table of an owned model (rows of deleted objects included).
- **shared**: people and agencies, which the installation shares between partnerships. Written when an owned row
  refers to them (and, for people, when they hold one of the partnership's roles); matched on import.
- **excluded**: listed in ``EXCLUDED`` with the reason.

A model that is none of these fails ``tests/partnership_export/test_scope.py``. The core imports no stage app:
models are looked up by label.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q

PARTNERSHIP = "accounts.partnership"
CASE = "referrals.case"
USER = "accounts.user"
AGENCY = "accounts.agency"
CONTENT_TYPE = "contenttypes.contenttype"
SOFT_CASE_FIELD = "case_id"

SHARED = {
    USER: "People are shared by the installation. Written when the partnership's rows name them or they hold one "
          "of its roles, without password, sign-in or authenticator details; matched by e-mail address on import.",
    AGENCY: "Agencies are shared by the installation. Written when the partnership's rows name them or they are in "
            "its arrangements; matched by name on import.",
}

# The people's fields an archive carries. Never the password hash, the last sign-in, staff or superuser flags,
# groups or permissions; authenticator secrets live in excluded tables.
USER_FIELDS = ("public_id", "email", "full_name", "agency", "job_title", "phone", "is_active", "date_joined")

_INSTALLATION = "The installation's own configuration, recreated by its migrations and administrators."
_SIGN_IN = "Sign-in records of this installation (django-axes lockout); not the partnership's records."
_BEAT = "The installation's periodic task schedule (django-celery-beat)."
_MFA = "Authenticator and backup-code secrets never leave the installation: people set them up again."

EXCLUDED: dict[str, str] = {
    "admin.logentry": "The Django admin's record of the installation administrators' own changes.",
    "auth.permission": _INSTALLATION,
    "auth.group": _INSTALLATION,
    CONTENT_TYPE: "Names of models, recreated by migrations; references to them are written as "
                  "[app label, model].",
    "sessions.session": "Sign-in sessions of this installation.",
    "django_celery_beat.solarschedule": _BEAT,
    "django_celery_beat.intervalschedule": _BEAT,
    "django_celery_beat.clockedschedule": _BEAT,
    "django_celery_beat.crontabschedule": _BEAT,
    "django_celery_beat.periodictasks": _BEAT,
    "django_celery_beat.periodictask": _BEAT,
    "otp_totp.totpdevice": _MFA,
    "otp_static.staticdevice": _MFA,
    "otp_static.statictoken": _MFA,
    "axes.accessattempt": _SIGN_IN,
    "axes.accessattemptexpiration": _SIGN_IN,
    "axes.accessfailurelog": _SIGN_IN,
    "axes.accesslog": _SIGN_IN,
    "notifications.notification": "The e-mail outbox: messages sent (or due) from this installation, with their "
                                  "delivery state. Reminders already sent are kept as clock reminder rows.",
    "notifications.attachment": "Attachments of outbox e-mails (see notifications.notification).",
    "audit.retentionrule": "The installation's retention periods: the importing installation applies its own.",
    "agencychecks.glossaryterm": "The installation's glossary of abbreviations, shared by every partnership.",
    "agencychecks.packrender": "Stored pack PDFs: a cache, made again from the exported forms when the pack is "
                               "first downloaded (ADR 0020).",
    "partnership_export.partnershipexport": "Export requests and their archives stay on the installation that "
                                            "made them (each step is in the exported access log).",
    "partnership_export.partnershipimport": "The importing installation's own record of imports.",
}

# Columns that name another row by its model label and id rather than by a foreign key.
LABELLED_REFERENCES: dict[str, tuple[str, str]] = {"audit.accesslog": ("object_type", "object_id")}


def label_of(model) -> str:
    return model._meta.label_lower


def is_history(model) -> bool:
    """A simple-history table: ``Historical<Model>`` (or ``Historical<Model>_<m2m field>``)."""
    return hasattr(model, "instance_type") and model._meta.pk.name in ("history_id", "m2m_history_id")


def foreign_keys(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def soft_case_field(model) -> models.Field | None:
    """A ``case_id`` column that is not a foreign key (the core's audit tables keep the case's id this way)."""
    for f in model._meta.concrete_fields:
        if f.name == SOFT_CASE_FIELD and not f.is_relation:
            return f
    return None


@dataclass(frozen=True)
class Scope:
    """How the rows of one model that belong to a partnership are found.

    ``q(partnership)`` filters the model's own columns, so that it also applies to the model's history table,
    which has the same columns. ``rule`` says how it was found, for the documentation and the tests.
    """

    model: type
    rule: str
    q: Callable[[object], Q]
    via: str = ""  # the column that ties a row to its partnership (checked on import)

    def rows(self, partnership) -> models.QuerySet:
        return self.model._base_manager.filter(self.q(partnership))

    def ids(self, partnership) -> models.QuerySet:
        return self.rows(partnership).values("pk")


@dataclass
class Plan:
    owned: dict[str, Scope] = field(default_factory=dict)
    history: dict[str, Scope] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    unclassified: list[str] = field(default_factory=list)

    def kind(self, label: str) -> str:
        for name in ("owned", "history", "shared", "excluded"):
            if label in getattr(self, name):
                return name
        return "unclassified"

    def classify(self, model) -> tuple[str, str]:
        """(kind, why) for any model; a history table of a shared or excluded model goes with its model."""
        label = label_of(model)
        kind = self.kind(label)
        if kind in ("shared", "excluded"):
            return kind, {**self.shared, **self.excluded}[label]
        if kind != "unclassified" or not is_history(model):
            return kind, self.owned.get(label, self.history.get(label)).rule if kind != "unclassified" else ""
        base = model.instance_type
        base = base._meta.auto_created or base  # a many-to-many history table records its model's links
        base_kind = self.kind(label_of(base))
        if base_kind in ("shared", "excluded"):
            return f"history of {base_kind}", f"The change history of {label_of(base)}, which is {base_kind}."
        return "unclassified", ""

    def exported(self) -> dict[str, Scope]:
        """Every scoped model, owned first, then history tables."""
        return {**self.owned, **self.history}


def _linked(f, parent: Scope) -> Callable[[object], Q]:
    return lambda p: Q(**{f"{f.name}__in": parent.ids(p)})


def _required_link(model, owned: dict[str, Scope]) -> Scope | None:
    keys = foreign_keys(model)
    for f in keys:  # a required link to a case: the cases the partnership leads
        if not f.null and label_of(f.related_model) == CASE and CASE in owned:
            return Scope(model, f"{f.name} -> {CASE}", _linked(f, owned[CASE]), f.name)
    for f in keys:
        if not f.null and label_of(f.related_model) == PARTNERSHIP:
            return Scope(model, f"{f.name} -> {PARTNERSHIP}", lambda p, name=f.name: Q(**{name: p.pk}), f.name)
    for f in keys:
        target = label_of(f.related_model)
        if not f.null and target in owned and target != label_of(model):
            return Scope(model, f"{f.name} -> {target}", _linked(f, owned[target]), f.name)
    return None


def _optional_link(model, owned: dict[str, Scope]) -> Scope | None:
    keys = foreign_keys(model)
    soft = soft_case_field(model)
    led = owned.get(CASE)
    for f in keys:
        if label_of(f.related_model) == PARTNERSHIP:
            if soft is not None and led is not None:
                def q(p, name=f.name, soft_name=soft.name):
                    return Q(**{name: p.pk}) | Q(**{f"{name}__isnull": True, f"{soft_name}__in": led.ids(p)})
                return Scope(model, f"{f.name} -> {PARTNERSHIP}, or {soft.name} of a case it leads", q, f.name)
            return Scope(model, f"{f.name} -> {PARTNERSHIP} (optional)", lambda p, name=f.name: Q(**{name: p.pk}),
                         f.name)
    if soft is not None and led is not None:
        return Scope(model, f"{soft.name} of a case it leads",
                     lambda p, name=soft.name: Q(**{f"{name}__in": led.ids(p)}), soft.name)
    links = [f for f in keys if label_of(f.related_model) in owned and label_of(f.related_model) != label_of(model)]
    if links:
        def q(p, links=tuple(links)):
            found = Q(pk__in=[])
            for f in links:
                found |= Q(**{f"{f.name}__in": owned[label_of(f.related_model)].ids(p)})
            return found
        return Scope(model, " or ".join(f"{f.name} -> {label_of(f.related_model)}" for f in links), q)
    return None


def _history_scope(model, owned: dict[str, Scope], history: dict[str, Scope]) -> Scope | None:
    base = model.instance_type
    if model._meta.pk.name == "m2m_history_id":  # the many-to-many history of a history row
        parent = model._meta.get_field("history").related_model
        parent_scope = history.get(label_of(parent))
        if parent_scope is None:
            return None
        return Scope(model, f"history -> {label_of(parent)}", lambda p: Q(history__in=parent_scope.ids(p)), "history")
    scope = owned.get(label_of(base))
    if scope is None:
        return None
    pk = base._meta.pk.attname
    names = {f.name for f in model._meta.concrete_fields}
    applies = scope.via in names or not scope.via

    def q(p):
        found = Q(**{f"{pk}__in": scope.ids(p)})  # the history of every exported row
        # and of rows deleted since, still tied to the partnership by the same column
        return found | scope.q(p) if applies and scope.via != "pk" else found
    return Scope(model, f"history of {label_of(base)}", q, scope.via)


@lru_cache(maxsize=1)
def export_plan() -> Plan:
    """Every model of the installation, classified (see the module's docstring)."""
    plan = Plan(shared=dict(SHARED), excluded={})
    every = sorted(apps.get_models(), key=label_of)
    known = {label_of(m) for m in every}
    plan.excluded = {label: reason for label, reason in EXCLUDED.items() if label in known}
    partnership = apps.get_model(PARTNERSHIP)
    case = apps.get_model(CASE)
    plan.owned[PARTNERSHIP] = Scope(partnership, "the partnership itself", lambda p: Q(id=p.pk), "pk")
    plan.owned[CASE] = Scope(case, f"partnership -> {PARTNERSHIP} (the cases it leads)",
                             lambda p: Q(partnership=p.pk), "partnership")
    live = [m for m in every if not is_history(m)]
    pending = [m for m in live if label_of(m) not in plan.owned and label_of(m) not in plan.shared
               and label_of(m) not in plan.excluded]
    for finder in (_required_link, _optional_link):
        changed = True
        while changed:
            changed = False
            for model in list(pending):
                scope = finder(model, plan.owned)
                if scope is not None:
                    plan.owned[label_of(model)] = scope
                    pending.remove(model)
                    changed = True
    plan.unclassified = [label_of(m) for m in pending]
    histories = [m for m in every if is_history(m)]
    # A many-to-many history table hangs off its model's history table: those come first.
    for model in sorted(histories, key=lambda m: m._meta.pk.name == "m2m_history_id"):
        scope = _history_scope(model, plan.owned, plan.history)
        if scope is not None:
            plan.history[label_of(model)] = scope
    return plan


def history_base(model):
    """The model a history table records (for a many-to-many history table: its model's through table)."""
    return model.instance_type


def generic_keys(model) -> list[tuple[str, str]]:
    """(content type column, id column) of each generic relation; a history table uses its model's."""
    source = model.instance_type if is_history(model) else model
    return [(f.ct_field, f.fk_field) for f in source._meta.private_fields if isinstance(f, GenericForeignKey)]
