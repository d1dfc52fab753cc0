"""Writing the access log (every app calls ``access_log`` for views of sensitive records), legal holds, exports."""

import io
import zipfile

from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

from rapidreview.db import DomainError
from rapidreview.exports import Column, csv_bytes

from .models import AccessAction, AccessLog, LegalHold, RetentionRule
from .selectors import case_related_models


def client_ip(request) -> str | None:
    """The address a request came from. X-Forwarded-For is believed only behind our own proxy (BEHIND_PROXY)."""
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw: the last entry is the one it vouches for.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:45]
    return request.META.get("REMOTE_ADDR") or None


_ACTING = object()


def access_log(request, *, action: str = AccessAction.VIEW, obj: models.Model | None = None,
               case_id=None, partnership=_ACTING) -> AccessLog:
    """Record that ``request.user`` did ``action`` on ``obj``, in the partnership they act in (``request.partnership``
    unless ``partnership`` is given; empty for the public and the installation's administrator). The path holds
    only opaque identifiers."""
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    if partnership is _ACTING:
        partnership = getattr(request, "partnership", None)
    return AccessLog.objects.create(
        user=user,
        partnership=partnership,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        path=request.path[:300],
        ip_address=client_ip(request),
    )


@transaction.atomic
def legal_hold_set(*, case_id, reason: str, actor) -> LegalHold:
    """Stop the retention review touching a case. Setting it again replaces the reason."""
    hold = LegalHold.objects.select_for_update().filter(case_id=case_id).first() or LegalHold(case_id=case_id)
    hold.reason = reason
    hold.set_by = actor
    hold._history_user = actor
    hold.save()
    return hold


@transaction.atomic
def legal_hold_remove(*, case_id, actor) -> None:
    hold = LegalHold.objects.select_for_update().filter(case_id=case_id).first()
    if hold is None:
        raise DomainError("This case has no legal hold.")
    hold._history_user = actor
    hold.delete()


@transaction.atomic
def retention_rule_update(*, form, actor) -> RetentionRule:
    rule = form.save(commit=False)
    rule._history_user = actor
    rule.save()
    return rule


def subject_access_export(request, *, name: str, found) -> bytes:
    """A ZIP of everything held on each case that mentions ``name``: one JSON file per case and a summary.

    Logged as an export of each case. The file names hold case references only.
    """
    buffer = io.BytesIO()
    summary = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for case, where in found:
            summary.append([case.reference, case.get_stage_display(), "; ".join(where)])
            records = [case]
            for model, lookup in case_related_models():
                records.extend(model.objects.filter(**{lookup: case.pk}))
            archive.writestr(f"{case.reference}.json",
                             serializers.serialize("json", records, indent=2, use_natural_foreign_keys=False))
            access_log(request, action=AccessAction.EXPORT, obj=case, case_id=case.pk)
        archive.writestr("summary.csv", csv_bytes(
            [Column("Case reference"), Column("Stage"), Column("Where the name was found")], summary))
        archive.writestr("README.txt", (
            f"Subject access export made {timezone.localtime():%d %B %Y %H:%M} by {request.user.full_name}.\n"
            "One JSON file per case holds every record of that case; summary.csv lists the cases and where the\n"
            "name was found. Redact third parties' details before disclosing.\n"))
    return buffer.getvalue()
