"""Learning dissemination: planning and recording events, and writing, sending and archiving bulletins."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import active_people, partnership_agencies
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.pdf import Marking, render_pdf
from referrals.models import Stage
from referrals.publication import publication_guard

from .models import LEARNING_ROUTES, LearningItem, LearningKind

FIELDS = ("title", "date", "audience", "attendance", "materials_url", "follow_up", "follow_up_on", "body", "case",
          "publication_override", "owner", "outputs")
PUBLISHED = {"title": "The title", "body": "The bulletin text", "materials_url": "The link to materials",
             "outputs": "What it produced"}


def _guard(item: LearningItem) -> None:
    """What is published of a learning item must not identify a child, unless the business unit says why it may."""
    publication_guard({field: (label, getattr(item, field) or "") for field, label in PUBLISHED.items()},
                      override_reason=item.publication_override)


def may_manage_learning(user, partnership) -> bool:
    """The business unit of ``partnership`` (the item's) plans and sends its learning."""
    return bool(user and user.is_authenticated and partnership is not None
                and user.has_role_in(partnership, Role.BUSINESS_UNIT))


def _check_route(*, case, partnership, owner) -> None:
    """A learning route belongs to a case and has an owner who works in the partnership."""
    if case is None:
        raise DomainError("A learning route starts from a case.")
    if owner is None:
        raise DomainError("Choose who owns this learning route.")
    if not active_people(partnership).filter(pk=owner.pk).exists():
        raise DomainError("The owner must be someone who works in the partnership.")


def _sync_clock(item: LearningItem) -> None:
    """A follow-up date is a clock: started when set, moved when changed, met when done, cancelled when removed."""
    if item.follow_up_on and not item.follow_up_done_on:
        running = Clock.objects.filter(subject_type=ContentType.objects.get_for_model(item), subject_id=item.pk,
                                       kind=ClockKind.LEARNING_EVENT,
                                       state__in=[ClockState.RUNNING, ClockState.OVERDUE]).first()
        if running and running.due_on != item.follow_up_on:
            clock_cancel(subject=item, kind=ClockKind.LEARNING_EVENT)
        clock_start(kind=ClockKind.LEARNING_EVENT, subject=item, start=min(timezone.localdate(), item.follow_up_on),
                    due=item.follow_up_on, case_id=item.case_id, label=item.get_kind_display(),
                    partnership=item.partnership)
    elif not item.follow_up_on:
        clock_cancel(subject=item, kind=ClockKind.LEARNING_EVENT)


@transaction.atomic
def learning_create(*, kind: str, actor, partnership, **values) -> LearningItem:
    """Plan a learning event or write a bulletin for ``partnership`` (the one the business unit acts in)."""
    if not may_manage_learning(actor, partnership):
        raise DomainError("Only the business unit can plan learning.")
    if kind not in LearningKind.values:
        raise DomainError("Choose what kind of learning this is.")
    if not (values.get("title") or "").strip():
        raise DomainError("Enter a title.")
    if not isinstance(values.get("date"), datetime.date):
        raise DomainError("Enter the date.")
    case = values.get("case")
    if case is not None and case.partnership_id != partnership.pk:
        raise DomainError("The review this learning comes from is another partnership's.")
    if kind in LEARNING_ROUTES:
        _check_route(case=case, partnership=partnership, owner=values.get("owner"))
        if case.stage not in (Stage.NOT_MET, Stage.NOTIFIED):
            raise DomainError("A local learning route is for a case with no rapid review: its threshold was not "
                              "met, or the death was notified without one.")
    item = LearningItem(partnership=partnership, kind=kind, created_by=actor,
                        **{k: v for k, v in values.items() if k in FIELDS})
    _guard(item)
    item._history_user = actor
    item.save()
    _sync_clock(item)
    return item


@transaction.atomic
def learning_update(*, item: LearningItem, actor, **values) -> LearningItem:
    locked = LearningItem.objects.select_for_update().select_related("partnership").get(pk=item.pk)
    if not may_manage_learning(actor, locked.partnership):
        raise DomainError("Only the business unit can change learning items.")
    if locked.is_sent:
        raise DomainError("This bulletin has been sent and is kept in the archive as it was sent.")
    for key, value in values.items():
        if key in FIELDS:
            setattr(locked, key, value)
    if locked.case_id and locked.case.partnership_id != locked.partnership_id:
        raise DomainError("The review this learning comes from is another partnership's.")
    if locked.is_learning_route:
        _check_route(case=locked.case, partnership=locked.partnership, owner=locked.owner)
    _guard(locked)
    locked._history_user = actor
    locked.save()
    _sync_clock(locked)
    return locked


@transaction.atomic
def learning_follow_up_done(*, item: LearningItem, actor, on: datetime.date | None = None) -> LearningItem:
    locked = LearningItem.objects.select_for_update().select_related("partnership").get(pk=item.pk)
    if not may_manage_learning(actor, locked.partnership):
        raise DomainError("Only the business unit can record follow-ups.")
    if not locked.follow_up_on:
        raise DomainError("This item has no follow-up to record.")
    if locked.follow_up_done_on:
        raise DomainError("The follow-up was already recorded as done.")
    locked.follow_up_done_on = on or timezone.localdate()
    locked._history_user = actor
    locked.save()
    clock_meet(subject=locked, kind=ClockKind.LEARNING_EVENT)
    return locked


def distribution_list(partnership) -> list[str]:
    """The partners' distribution addresses: those of the active agencies in ``partnership``'s arrangements, once
    each. Agencies are shared by the installation; another partnership's partners never receive its bulletins."""
    seen, out = set(), []
    for email in partnership_agencies(partnership).exclude(distribution_email="") \
            .values_list("distribution_email", flat=True):
        if email.lower() not in seen:
            seen.add(email.lower())
            out.append(email)
    return out


@transaction.atomic
def learning_bulletin_send(*, item: LearningItem, actor) -> int:
    """E-mail a bulletin to the distribution list once per address, then archive it. Returns how many were queued.

    Re-running never sends a second copy: each e-mail's key is the bulletin and the address.
    """
    locked = LearningItem.objects.select_for_update().select_related("partnership").get(pk=item.pk)
    if not may_manage_learning(actor, locked.partnership):
        raise DomainError("Only the business unit can send bulletins.")
    if locked.kind != LearningKind.BULLETIN:
        raise DomainError("Only bulletins are sent by e-mail.")
    if locked.is_sent:
        raise DomainError("This bulletin has already been sent.")
    if not locked.body.strip():
        raise DomainError("Write the bulletin before sending it.")
    _guard(locked)
    addresses = distribution_list(locked.partnership)
    if not addresses:
        raise DomainError("No agency in the partnership's arrangements has a distribution e-mail address. Add them "
                          "on the agencies page.")
    queued = 0
    for address in addresses:
        note = notify(to=address, subject=locked.title, template="themes/email/bulletin",
                      context={"item": locked}, kind="themes.bulletin", partnership=locked.partnership,
                      key=f"bulletin:{locked.pk}:{address.lower()}", related=locked)
        queued += note is not None
    locked.sent_at, locked.sent_by, locked.sent_to_count = timezone.now(), actor, len(addresses)
    locked._history_user = actor
    locked.save()
    return queued


def bulletin_pdf(item: LearningItem, request=None) -> bytes:
    """The bulletin as a published PDF: no protective marking, so it must pass the publication guard first."""
    return render_pdf("themes/bulletin_pdf.html", {"item": item}, title=item.title, partnership=item.partnership,
                      marking=Marking.NONE, footer=f"{item.partnership.short_name} learning bulletin",
                      base_url=request.build_absolute_uri("/") if request is not None else None)
