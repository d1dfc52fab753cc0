"""Helpers for the migrations that brought partnerships in (issue 18, ADR 0015).

Data written before partnerships belongs to the one partnership the installation had: the single ``Partnership``
settings row, created here with neutral defaults when it never was (a database whose settings page was never
opened). Imported only by migrations: it uses the historical models it is given.
"""

LEGACY_NAME = "Safeguarding Children Partnership"


def legacy_partnership_id(apps) -> int:
    """The id of the installation's one partnership from before partnerships, made if missing."""
    Partnership = apps.get_model("accounts", "Partnership")
    ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True)[:2])
    if len(ids) > 1:
        raise RuntimeError("Data from before partnerships must belong to one partnership, and there are several.")
    if ids:
        return ids[0]
    return Partnership.objects.create(name=LEGACY_NAME, short_name="SCP", slug="partnership").pk


BATCH_SIZE = 5_000


def assign_to_legacy(apps, app_label: str, model_name: str, field: str = "partnership_id") -> None:
    """Set ``field`` on every row of a model that has none, ``BATCH_SIZE`` rows per UPDATE.

    In a migration with ``atomic = False`` (the ``*_partnership_required`` ones) each batch commits on its own, so
    on a large table no statement holds its row locks for long while the site runs; run again, it carries on
    where it stopped. Then the migration's ``AlterField`` makes the column required (docs/operations.md).
    """
    Model = apps.get_model(app_label, model_name)
    pending = Model.objects.filter(**{f"{field}__isnull": True})
    if not pending.exists():
        return
    partnership_id = legacy_partnership_id(apps)
    while batch := list(pending.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
        Model.objects.filter(pk__in=batch).update(**{field: partnership_id})
