"""A case's timeline: the one writer of ``CaseEvent`` lines.

Kept apart from ``referrals.services`` so that the ledgers (``themes``, ``actionplan``) can write a timeline line
without importing the referral services, which themselves call the ledgers' services.
"""

from .models import Case, CaseEvent


def case_record_event(*, case: Case, kind: str, summary: str, actor=None, note: str = "",
                      from_stage: str = "", to_stage: str = "") -> CaseEvent:
    """Add a line to the case's timeline."""
    return CaseEvent.objects.create(case=case, kind=kind, summary=summary, actor=actor, note=note,
                                    from_stage=from_stage, to_stage=to_stage)
