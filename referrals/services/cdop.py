"""CDOP and JAR discussions: the week within which a referral should follow (the CDOP/JAR referral clock)."""

import datetime

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet, clock_start
from rapidreview.db import DomainError

from ..models import Case, CdopDiscussion, CdopForum
from .common import require_role


def cdop_referral_due_on(discussed_on: datetime.date, *, partnership) -> datetime.date:
    """The last day a referral is on time: ``partnership``'s days (7 by default) after the discussion."""
    return CdopDiscussion(discussed_on=discussed_on, partnership=partnership).referral_due_on


@transaction.atomic
def cdop_discussion_record(*, forum: str, discussed_on: datetime.date, forum_reference: str, actor, partnership,
                           notes: str = "") -> CdopDiscussion:
    """Record ``partnership``'s CDOP or JAR discussion and start the clock for the referral that should follow
    within a week."""
    require_role(actor, Role.BUSINESS_UNIT, partnership=partnership)
    if forum not in CdopForum.values:
        raise DomainError("Select where the case was discussed.")
    if discussed_on > timezone.localdate():
        raise DomainError("The date of the discussion must be today or in the past.")
    if not forum_reference.strip():
        raise DomainError("Enter the CDOP or JAR reference.")
    discussion = CdopDiscussion(partnership=partnership, forum=forum, discussed_on=discussed_on,
                                forum_reference=forum_reference.strip(), notes=notes, recorded_by=actor)
    discussion._history_user = actor
    discussion.save()
    clock_start(kind=ClockKind.CDOP_REFERRAL, subject=discussion, start=discussed_on, partnership=partnership,
                label="Referral after the CDOP or JAR discussion")
    return discussion


def _conclude(discussion: CdopDiscussion, actor, on: datetime.date | None = None) -> CdopDiscussion:
    discussion = CdopDiscussion.objects.select_for_update().get(pk=discussion.pk)
    if not discussion.is_open:
        raise DomainError("This discussion has already been followed up.")
    discussion.concluded_by = actor
    discussion.concluded_on = on or timezone.localdate()
    return discussion


@transaction.atomic
def cdop_discussion_no_referral(*, discussion: CdopDiscussion, actor, reason: str) -> CdopDiscussion:
    """The business unit considered a referral and none is warranted: meets the clock, keeping the reason."""
    require_role(actor, Role.BUSINESS_UNIT, partnership=discussion.partnership)
    if not reason.strip():
        raise DomainError("Say why no referral is needed.")
    discussion = _conclude(discussion, actor)
    discussion.no_referral_reason = reason.strip()
    discussion._history_user = actor
    discussion.save()
    clock_meet(subject=discussion, kind=ClockKind.CDOP_REFERRAL)
    return discussion


def cdop_discussion_referred(*, discussion: CdopDiscussion | None, case: Case, forum: str,
                             discussed_on: datetime.date, received_on: datetime.date, actor) -> CdopDiscussion:
    """The referral was made: link it to its discussion (recorded now if it was not before) and meet the clock.
    Runs inside ``referral_submit``'s transaction."""
    if discussion is None:
        discussion = CdopDiscussion(partnership=case.partnership, forum=forum, discussed_on=discussed_on,
                                    recorded_by=actor, forum_reference="(recorded with the referral)")
        discussion._history_user = actor
        discussion.save()
        clock_start(kind=ClockKind.CDOP_REFERRAL, subject=discussion, start=discussed_on,
                    partnership=case.partnership, label="Referral after the CDOP or JAR discussion")
    elif discussion.partnership_id != case.partnership_id:
        raise DomainError("That CDOP or JAR discussion belongs to another partnership.")
    discussion = _conclude(discussion, actor, on=received_on)
    discussion.case = case
    discussion._history_user = actor
    discussion.save()
    clock_meet(subject=discussion, kind=ClockKind.CDOP_REFERRAL)
    return discussion
