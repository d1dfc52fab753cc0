"""Reads for the audit pages: the change history of a case and its records, the access log, subject access.

Each reads one partnership's entries: the one the reader acts in (ADR 0015). An access-log line names the
partnership its reader was acting in. Lines written before partnerships came in name none: they belong to the
installation's first partnership (the one everything from before was moved into, whatever it is called now), and
only those older than that partnership's ``created_at``. Lines naming no partnership written since (failed
sign-ins, the public, the installation's administrator) belong to no partnership and show on no partnership's page.
"""

import datetime
import functools
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError, ImproperlyConfigured, PermissionDenied
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from rapidreview.accounts.models import Partnership, User
from rapidreview.registry import visible_case

from .models import AccessLog, LegalHold, RetentionAction, RetentionProposal


def case_model():
    return apps.get_model("referrals", "Case")


@lru_cache(maxsize=1)
def case_related_models() -> tuple[tuple[type, str], ...]:
    """Every model that belongs to a case, with the lookup from it to the case's id (up to two steps away).

    Found from the foreign keys, so records that later stages add are included without this module naming them.
    """
    case = case_model()
    found: list[tuple[type, str]] = []
    direct: list[tuple[type, str]] = []
    for model in apps.get_models():
        if model is case or model._meta.app_label in {"simple_history"} or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is case and field.name != "possible_duplicate_of":
                direct.append((model, f"{field.name}_id"))
                break
    found.extend(direct)
    parents = {model: lookup for model, lookup in direct}
    for model in apps.get_models():
        if model is case or model in parents or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in parents and not field.null:
                found.append((model, f"{field.name}__{parents[field.related_model]}"))
                break
    return tuple(found)


@dataclass
class HistoryEntry:
    at: object
    user: object
    record: str
    action: str
    changes: list[tuple[str, str, str]]


def _related_names(model, ids) -> dict:
    """{id as text: how the object reads} for rows of ``model``, in one query."""
    ids = {i for i in ids if i not in (None, "")}
    if not ids:
        return {}
    return {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def _m2m_ids(field, value) -> list:
    """simple-history keeps a many-to-many value as the through rows; the target's id is under its field name."""
    target = field.m2m_reverse_field_name()
    return [row.get(target) if isinstance(row, dict) else row for row in value or []]


class _Names:
    """Names of the related objects a page of history refers to, looked up once per model and id."""

    def __init__(self):
        self.known: dict = {}

    def of(self, model, ids) -> dict:
        cache = self.known.setdefault(model, {})
        missing = [i for i in ids if i not in (None, "") and str(i) not in cache]
        cache.update(_related_names(model, missing))
        return cache


def _value(field, value, names: _Names | None = None) -> str:
    """A value as a person would read it: a related object's name (never its id), the label of a choice, a
    British date, the names of the rows a many-to-many field links."""
    if value is None or value == "" or value == []:
        return ""
    names = names or _Names()
    if field is not None and field.many_to_many:
        ids = _m2m_ids(field, value)
        known = names.of(field.related_model, ids)
        return ", ".join(sorted(known.get(str(i), "(removed)") for i in ids))
    if isinstance(value, list):
        return f"{len(value)} linked"
    if field is not None and field.is_relation and field.related_model is not None:
        return names.of(field.related_model, [value]).get(str(value), "(removed)")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def _change(model, name: str, old, new, names: _Names | None = None) -> tuple[str, str, str]:
    try:
        field = model._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name))
    except FieldDoesNotExist:
        field, label = None, name.replace("_", " ")
    return label, _value(field, old, names), _value(field, new, names)


@functools.cache
def _history_model(model):
    """The change-history model of ``model`` (None without one). Looked up once per process: simple-history's
    ``Model.history`` builds a new manager class, inspecting the queryset's methods, on every access (about 3 ms
    each, for each of the 35 models a case's history reads)."""
    return model.history.model if hasattr(model, "history") else None


_ANY_CASE = uuid.UUID(int=0)  # stands in for the case while a query's SQL is built once (_history_sources)


@dataclass(frozen=True)
class _HistorySource:
    """One history table that holds a case's records: SQL built once per process, run for any case."""

    model: type
    history_model: type
    rows_sql: str  # the case's history rows, in the order the changes are worked out
    any_sql: str  # whether there is at least one
    params: tuple  # the query's parameters, _ANY_CASE among them
    compared: tuple[tuple[str, str], ...]  # (name, attribute) of each field compared between versions
    many_to_many: frozenset[str]  # the many-to-many fields the history keeps (compared by simple-history)

    def changes(self, before, after) -> list[tuple[str, object, object]]:
        """(field name, old, new) of each field that differs between two versions of a record, by field name: what
        simple-history's ``diff_against`` returns, its fields compared here directly. ``diff_against`` builds a
        dictionary of every field of both versions for each pair (``model_to_dict``), a third of the history
        page's time on a case with a long history (issue 20); it still compares the many-to-many fields, whose
        rows it reads."""
        changes = [(name, getattr(before, attribute), getattr(after, attribute))
                   for name, attribute in self.compared if getattr(before, attribute) != getattr(after, attribute)]
        if self.many_to_many:
            changes += [(change.field, change.old, change.new)
                        for change in after.diff_against(before, included_fields=self.many_to_many).changes]
            changes.sort(key=lambda change: change[0])
        return changes


def _compared_fields(history_model) -> tuple[tuple[str, str], ...]:
    """The fields ``diff_against`` compares, less the many-to-many ones: the tracked, editable fields of the
    history model, as ``model_to_dict`` reads them, in name order."""
    many_to_many = {field.name for field in history_model._history_m2m_fields}
    tracked = {field.name for field in history_model.tracked_fields if field.editable} - many_to_many
    opts = history_model._meta
    return tuple(sorted((field.name, field.attname) for field in (*opts.concrete_fields, *opts.private_fields)
                        if field.editable and field.name in tracked))


@functools.cache
def _history_sources(alias: str) -> tuple[_HistorySource, ...]:
    """The case and every record that belongs to it (``case_related_models``) that keeps a history, each with the
    SQL that reads a case's rows. Compiling some 35 querysets on each request cost more than running them (issue
    20); the SQL differs between cases only in the case's id."""
    sources = []
    for model, lookup in ((case_model(), "id"), *case_related_models()):
        history_model = _history_model(model)
        if history_model is None:
            continue
        try:
            rows = history_model.objects.using(alias).filter(**{lookup: _ANY_CASE})
            ordered = rows.order_by(model._meta.pk.attname, "history_date", "history_id")
            rows_sql, params = ordered.query.sql_with_params()
            any_sql, any_params = rows.order_by().values("history_id")[:1].query.sql_with_params()
        except FieldError:  # a history table without the relation (a model added after its history began)
            continue
        if params != any_params:  # both are the same filter; only the order and the columns differ
            raise ImproperlyConfigured(f"The history queries of {model.__name__} take different parameters.")
        sources.append(_HistorySource(model, history_model, rows_sql, any_sql, tuple(params),
                                      _compared_fields(history_model),
                                      frozenset(field.name for field in history_model._history_m2m_fields)))
    return tuple(sources)


def _with_case(params: tuple, case_id) -> list:
    """``params`` with the stand-in for the case replaced by ``case_id``, as the database adapter was given it."""
    connection = connections[case_model().objects.db]
    stand_in = case_model()._meta.pk.get_db_prep_value(_ANY_CASE, connection)
    actual = case_model()._meta.pk.get_db_prep_value(case_id, connection)
    return [actual if param == stand_in else param for param in params]


def case_history(case) -> list[HistoryEntry]:
    """Every recorded change to the case and to each record that belongs to it, newest first.

    One query finds the history tables that hold anything of the case; only those are read, each with SQL built
    once per process; the people who made the changes are read in one query at the end."""
    alias = case_model().objects.db
    sources = _history_sources(alias)
    if not sources:
        return []
    # Each table's SQL was compiled by the ORM (_history_sources); the case's id is a parameter.
    union = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS ({source.any_sql})"  # noqa: S608  # nosec B608
                               for i, source in enumerate(sources))
    params = [p for source in sources for p in _with_case(source.params, case.pk)]
    with connections[alias].cursor() as cursor:
        cursor.execute(union, params)
        holding = sorted(row[0] for row in cursor.fetchall())
    rows: list[tuple] = []  # (at, user id, record, action, changes): the people are read once, below
    names = _Names()
    for index in holding:
        source = sources[index]
        model = source.model
        records = list(source.history_model.objects.raw(source.rows_sql, _with_case(source.params, case.pk)))
        previous = {}
        for record in records:
            key = getattr(record, model._meta.pk.attname)
            before = previous.get(key)
            changes = []
            if record.history_type == "~" and before is not None:
                changes = [_change(model, name, old, new, names) for name, old, new in source.changes(before, record)]
            action = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
            rows.append((record.history_date, record.history_user_id, model._meta.verbose_name.capitalize(),
                         action, changes))
            previous[key] = record
    people = User.objects.in_bulk({user_id for _, user_id, *_ in rows if user_id is not None})
    entries = [HistoryEntry(at, people.get(user_id), record, action, changes)
               for at, user_id, record, action, changes in rows]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _is_first(partnership: Partnership) -> bool:
    """Whether ``partnership`` is the installation's first (no partnership has a lower id): what existed before
    partnerships belongs to it. Asked in its own query, not inside the log's: a filter that ORs the older lines in
    keeps every other partnership's list off its index (issue 20)."""
    return not Partnership.objects.filter(pk__lt=partnership.pk).exists()


def _before_partnerships_q(partnership: Partnership) -> Q:
    """The lines written before partnerships came in (naming none, older than the first partnership)."""
    return Q(partnership__isnull=True, at__lt=partnership.created_at)


def partnership_lines_q(partnership: Partnership | None) -> Q:
    """The access-log lines of ``partnership``: its own, and for the first partnership the lines from before."""
    if partnership is None:
        return Q(pk__in=[])
    if _is_first(partnership):
        return Q(partnership=partnership) | _before_partnerships_q(partnership)
    return Q(partnership=partnership)


def access_log_rows(user) -> QuerySet[AccessLog]:
    """The lines of the access log of ``user``'s acting partnership with who did it, newest first (filtered by
    ``filters.AccessLogFilter``)."""
    return (AccessLog.objects.filter(partnership_lines_q(user.partnership)).select_related("user")
            .order_by("-at", "-id"))


def _distinct_object_types(scope: Q) -> set[str]:
    """The kinds of record among the lines ``scope`` selects, by a skip scan of the (partnership, object_type)
    index: one index probe per kind, however many lines there are. ``SELECT DISTINCT`` reads every line of the
    partnership, a number that grows with every page anyone opens (issue 20). Django has no recursive query, so
    the step is written out; the scope's own SQL comes from the ORM."""
    where = AccessLog.objects.filter(scope).values("object_type").query
    compiler = where.get_compiler(using=AccessLog.objects.db)
    condition, params = compiler.compile(where.where)
    table = AccessLog._meta.db_table
    # The table name and the condition come from the ORM, never from input; every value is a parameter.
    sql = (f"WITH RECURSIVE kinds(kind) AS ("  # noqa: S608  # nosec B608
           f" SELECT MIN(object_type) FROM {table} WHERE {condition}"
           f" UNION ALL SELECT (SELECT MIN(object_type) FROM {table} WHERE {condition} AND object_type > kind)"
           f" FROM kinds WHERE kind IS NOT NULL"
           f") SELECT kind FROM kinds WHERE kind IS NOT NULL")
    with connections[AccessLog.objects.db].cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return {row[0] for row in cursor.fetchall()}


def access_log_object_types(user) -> list[str]:
    """The kinds of record in the lines of ``user``'s acting partnership's access log, in order."""
    partnership = user.partnership
    if partnership is None:
        return []
    kinds = _distinct_object_types(Q(partnership=partnership))
    if _is_first(partnership):
        kinds |= _distinct_object_types(_before_partnerships_q(partnership))
    return sorted(kinds)


def access_log_people(user) -> QuerySet[User]:
    """Whom the access log can be filtered by: the people who have held a role in ``user``'s acting partnership."""
    return User.objects.filter(role_assignments__partnership=user.partnership).distinct().order_by("full_name")


def case_access_lines(user, case) -> QuerySet[AccessLog]:
    """Who opened ``case``, as ``user``'s acting partnership logged it (a partnership taking part in a case does
    not see who in the leading partnership opened it, nor the other way round)."""
    return (AccessLog.objects.filter(partnership_lines_q(user.partnership), case_id=case.pk).select_related("user")
            .order_by("-at", "-id"))


def get_led_case(user, case_id):
    """A case ``user`` may see that their acting partnership leads: legal holds and retention belong to the leading
    partnership. Another partnership's case is a 404; one the acting partnership only takes part in, a 403."""
    case = visible_case(user, case_id)
    partnership = user.partnership
    if partnership is not None and case.partnership_id == partnership.pk:
        return case
    participation = apps.get_model("referrals", "CaseParticipation")
    if partnership is not None and participation.objects.filter(case_id=case.pk, partnership=partnership,
                                                                ended_at__isnull=True).exists():
        raise PermissionDenied
    raise Http404


def led_case_ids(partnership):
    """The ids of the cases ``partnership`` leads, as a subquery."""
    return case_model().objects.filter(partnership=partnership).values("pk")


def legal_holds(user) -> QuerySet[LegalHold]:
    return (LegalHold.objects.filter(case_id__in=led_case_ids(user.partnership)).select_related("set_by")
            .order_by("-created_at"))


def retention_actions(user) -> QuerySet[RetentionAction]:
    """The cases ``user``'s acting partnership anonymised or deleted (rows from before partnerships are the first
    partnership's)."""
    partnership = user.partnership
    if partnership is None:
        return RetentionAction.objects.none()
    scope = Q(partnership=partnership) | Q(partnership__isnull=True) if _is_first(partnership) else Q(
        partnership=partnership)
    return RetentionAction.objects.filter(scope).select_related("by")


def open_retention_proposals(user) -> QuerySet[RetentionProposal]:
    return RetentionProposal.objects.filter(case_id__in=led_case_ids(user.partnership), confirmed_at__isnull=True,
                                            withdrawn_at__isnull=True)


def get_open_retention_proposal(user, proposal_id) -> RetentionProposal:
    """An open proposal on a case ``user``'s acting partnership leads; any other is a 404."""
    return get_object_or_404(open_retention_proposals(user), pk=proposal_id)


# Where a person's name can appear, by model label: the fields searched for a subject access request.
NAME_FIELDS = {
    "referrals.referral": ("referrer_name", "child_aliases"),
    "referrals.householdmember": ("name",),
}
NAME_LOOKUPS = {"referrals.referral": "case_id", "referrals.householdmember": "referral__case_id"}


def subject_access_search(user, name: str) -> list[tuple[object, list[str]]]:
    """Cases that mention ``name``, each with where it was found, among the cases ``user``'s acting partnership
    leads (the leading partnership holds the case's records and answers for them). For the business unit only."""
    case = case_model()
    words = name.split()
    matches: dict[object, set[str]] = {}
    child = Q()
    for word in words:
        child &= Q(child_first_name__icontains=word) | Q(child_last_name__icontains=word)
    for pk in case.objects.filter(child, partnership=user.partnership).values_list("pk", flat=True):
        matches.setdefault(pk, set()).add("Child's name")
    other = Q()
    for word in words:
        other &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    for pk in (apps.get_model("referrals.incidentchild").objects.filter(other, case__partnership=user.partnership)
               .values_list("case_id", flat=True)):
        matches.setdefault(pk, set()).add("Another child in the incident")
    for label, fields in NAME_FIELDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        existing = {f.name for f in model._meta.fields}
        for field in fields:
            if field not in existing:
                continue
            lookup = NAME_LOOKUPS[label]
            # "case_id" -> "case__partnership": only the acting partnership's cases are searched.
            in_partnership = {lookup.removesuffix("_id") + "__partnership": user.partnership}
            for pk in (model.objects.filter(**{f"{field}__icontains": name}, **in_partnership)
                       .values_list(lookup, flat=True)):
                if pk:
                    matches.setdefault(pk, set()).add(str(model._meta.get_field(field).verbose_name).capitalize())
    cases = case.objects.filter(pk__in=matches, partnership=user.partnership).order_by("reference")
    return [(c, sorted(matches[c.pk])) for c in cases]
