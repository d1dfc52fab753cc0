"""Which threshold outcome each notification route allows (ADR 0025; docs/national-templates.md, "Routes").

- A serious incident (Children Act 2004 s16C) is notified to the National Panel, or the threshold is not met.
- A looked-after child's death is notified whether or not abuse or neglect is known or suspected (Children Act
  1989 Sch 2 para 20; GOV.UK "Report a serious child safeguarding incident"); the Panel considers it, and a rapid
  review follows, only where abuse or neglect is known or suspected.
- A care leaver's death up to their 25th birthday is notified to the Secretary of State and Ofsted, with no rapid
  review (Working Together 2023, ch. 5, as updated December 2023).
"""

from .models import Route, ThresholdOutcome, YesNoUnknown


def route_outcome_problem(route: str, abuse_or_neglect: str, outcome: str) -> str:
    """Why ``outcome`` does not fit ``route``, or "" when it does."""
    if route not in Route.values:
        return "Select what is being notified"
    if route == Route.SERIOUS_INCIDENT:
        if outcome == ThresholdOutcome.NOTIFY_ONLY:
            return ("Notifying only the Secretary of State and Ofsted is for the death of a looked-after child or "
                    "a care leaver")
        return ""
    if route == Route.LAC_DEATH:
        if not abuse_or_neglect:
            return "Say whether abuse or neglect is known or suspected: it decides whether a rapid review follows"
        if abuse_or_neglect == YesNoUnknown.YES and outcome != ThresholdOutcome.MET:
            return ("Abuse or neglect is known or suspected: the death is notified to the National Panel and a "
                    "rapid review follows")
        if abuse_or_neglect != YesNoUnknown.YES and outcome != ThresholdOutcome.NOTIFY_ONLY:
            return ("A looked-after child's death is always notified: without abuse or neglect known or suspected, "
                    "to the Secretary of State and Ofsted only")
        return ""
    if outcome != ThresholdOutcome.NOTIFY_ONLY:
        return ("A care leaver's death is notified to the Secretary of State and Ofsted, with no rapid review. If "
                "they were under 18 and the serious incident criteria are met, choose a serious incident instead")
    return ""

