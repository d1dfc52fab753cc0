"""The Serious Incident Notification laid out for the Department for Education's online form.

The national form is completed by the local authority's notifier in the "Child safeguarding incident notification
system" (DfE Sign-in). It times out after 20 minutes and keeps nothing half done, so the business unit prepares
every answer here first, in the form's order as far as it could be confirmed (``docs/national-templates.md``),
and sees what the case does not yet hold.
"""

from dataclasses import dataclass, field

from .models import (
    Case,
    Harm,
    IncidentChild,
    Referral,
    Route,
    SinNotification,
    Stage,
    ThresholdDecision,
    ThresholdOutcome,
    YesNoUnknown,
)


@dataclass
class Answer:
    label: str
    value: str
    hint: str = ""  # where to add it, when the case does not hold it
    required: bool = True

    @property
    def missing(self) -> bool:
        return self.required and not self.value


@dataclass
class Part:
    title: str
    answers: list[Answer] = field(default_factory=list)
    note: str = ""


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _yes_no(referral: Referral | None, name: str) -> str:
    if referral is None or not getattr(referral, name):
        return ""
    return getattr(referral, f"get_{name}_display")()


AFTER_NOTIFICATION = (Stage.NOTIFIED, Stage.RAPID_REVIEW, Stage.DECISION, Stage.NATIONAL_PANEL, Stage.CSPR)
NOTIFIED_OUTCOMES = (ThresholdOutcome.MET, ThresholdOutcome.NOTIFY_ONLY)


def sin_is_due(case: Case) -> bool:
    """The notification is prepared once the threshold discussion found the threshold met (and kept after)."""
    if case.stage in AFTER_NOTIFICATION or SinNotification.objects.filter(case=case).exists():
        return True
    return ThresholdDecision.objects.filter(case=case, outcome__in=NOTIFIED_OUTCOMES).exists()


def sin_sheet(case: Case, notifier) -> list[Part]:
    """Every answer the national notification form asks for, in its order, from the case."""
    partnership = case.partnership
    referral = Referral.objects.filter(case=case).prefetch_related("household").first()
    sin = SinNotification.objects.filter(case=case).first()
    others = list(IncidentChild.objects.filter(case=case)) if case.children_count > 1 else []
    looked_after = (referral is not None and referral.looked_after == YesNoUnknown.YES) or \
        case.route in (Route.LAC_DEATH, Route.CARE_LEAVER_DEATH) or any(c.looked_after == YesNoUnknown.YES
                                                                         for c in others)
    died = case.harm == Harm.DIED
    on_referral = "The referral did not give it: ask the referrer or the agencies involved."
    parts = [
        Part("Notifier and contact details", [
            Answer("Local authority", partnership.local_authority_name,
                   "An administrator adds the local authority's name in the partnership settings."),
            Answer("Notifier's name", notifier.full_name),
            Answer("Notifier's job title", notifier.job_title, "Add your job title to your account."),
            Answer("Notifier's e-mail address", notifier.email),
            Answer("Notifier's telephone number", notifier.phone, "Add your telephone number to your account."),
            Answer("Partnership contact", f"{partnership.name}, {partnership.contact_email}"),
            Answer("Date of notification", _date(sin.notified_on) if sin else "",
                   "Recorded on the case when the notification is made.", required=sin is not None),
        ], note="The local authority where the incident happened notifies; the notifier registers as a "
                "'childsafeguarding notifier' with DfE Sign-in."),
        Part("Reason for the notification", [
            Answer("What is notified", case.get_route_display()),
            Answer("What happened to the child", case.get_harm_display(), on_referral),
            Answer("Abuse or neglect known or suspected", case.get_abuse_or_neglect_display(),
                   "Recorded with the threshold discussion.", required=case.route != Route.SERIOUS_INCIDENT),
            Answer("Kinds of abuse or neglect",
                   ", ".join(referral.abuse_kind_labels) if referral and referral.abuse_kinds else "", on_referral,
                   required=case.abuse_or_neglect != YesNoUnknown.NO),
            Answer("Death of a looked-after child", "Yes" if looked_after and died else "No",
                   required=referral is not None and bool(referral.looked_after) and bool(case.harm)),
        ]),
        Part("The incident", [
            Answer("Date of the incident", _date(case.incident_date), on_referral),
            Answer("Time of the incident", "", "The case does not record a time: ask the referrer or the police."),
            Answer("Local authority where it happened", referral.incident_la if referral else "", on_referral),
            Answer("Where it happened (address or place)", "",
                   "The case does not record the place of the incident: take it from the police or the referrer."),
            Answer("Date the local authority became aware", _date(case.la_aware_on), on_referral),
            Answer("Case outline", referral.description if referral else "", on_referral),
        ]),
        Part("The child" if not others else "Child 1", [
            Answer("First name", case.child_first_name),
            Answer("Last name", case.child_last_name, on_referral),
            Answer("Other names used", referral.child_aliases if referral else "", required=False),
            Answer("Date of birth", _date(case.child_dob),
                   f"Not known; age given on the referral: {referral.child_age}" if referral and referral.child_age
                   else on_referral),
            Answer("Sex", _yes_no(referral, "child_sex"), on_referral),
            Answer("Ethnicity", referral.child_ethnicity if referral else "", on_referral),
            Answer("Disability", referral.child_disability if referral else "", on_referral, required=False),
            Answer("Home address", referral.child_address if referral else "", on_referral),
            Answer("Home local authority", referral.child_home_la if referral else "", on_referral),
            Answer("Subject to a child protection plan", _yes_no(referral, "child_protection_plan"), on_referral),
        ], note="The national form holds up to 4 children in one notification; add the others on the case "
                "(\"Add another child in this incident\") and name any further children in the case outline."),
        *(_other_child(number, child) for number, child in enumerate(others, start=2)),
        Part("Looked-after status and other notifications", [
            Answer("Looked after by a local authority", _yes_no(referral, "looked_after"), on_referral),
            Answer("Ofsted notified", sin.get_ofsted_notified_display() if sin and sin.ofsted_notified else "",
                   "Recorded with the notification.", required=looked_after),
            Answer("Secretary of State notified",
                   sin.get_secretary_of_state_notified_display() if sin and sin.secretary_of_state_notified else "",
                   "Recorded with the notification.", required=looked_after),
        ], note=_looked_after_note(case, looked_after)),
        Part("Family and other children", [
            Answer(f"{person.relationship or 'Household member'}",
                   ", ".join(p for p in (person.name, person.age, person.notes) if p), required=False)
            for person in (referral.household.all() if referral else [])
        ] or [Answer("Household members", "", on_referral)]),
        Part("Agencies and other processes", [
            Answer("Agencies involved", ", ".join(sorted(a.name for a in case.involved_agencies.all())),
                   "Add the agencies involved on the case.", required=False),
            Answer("Police investigation", _yes_no(referral, "police_investigation"), on_referral),
            Answer("Notification reference", sin.notification_reference if sin else "",
                   "The national system gives it when the form is submitted.", required=sin is not None),
        ]),
    ]
    return parts


def _looked_after_note(case: Case, looked_after: bool) -> str:
    if case.route == Route.CARE_LEAVER_DEATH:
        return ("The death of a care leaver up to their 25th birthday is notified to the Secretary of State and "
                "Ofsted through the same service, whether or not abuse or neglect is suspected. No rapid review "
                "follows.")
    if looked_after:
        return ("The child is looked after: the death of a looked-after child is notified to Ofsted and the "
                "Secretary of State through the same form, whether or not abuse or neglect is suspected. The "
                "National Panel considers it only where abuse or neglect is known or suspected.")
    return ("Ofsted and the Secretary of State are notified directly only for the death of a looked-after child "
            "or of a care leaver up to 24.")


def _other_child(number: int, child: IncidentChild) -> Part:
    """A further child in the incident, as the national form asks of each child."""
    added = "Not recorded for this child: change its details on the case."
    return Part(f"Child {number}", [
        Answer("What happened to the child", child.get_outcome_display()),
        Answer("First name", child.first_name, "The national form allows a child who is not yet named.",
               required=False),
        Answer("Last name", child.last_name, required=False),
        Answer("Date of birth", _date(child.dob), f"Not known; age: {child.age}" if child.age else added),
        Answer("Sex", child.get_sex_display() if child.sex else "", added),
        Answer("Ethnicity", child.ethnicity, added),
        Answer("Disability", child.disability, added, required=False),
        Answer("Relationship to child 1", child.relationship, added, required=False),
        Answer("Looked after by a local authority", child.get_looked_after_display() if child.looked_after else "",
               added),
        Answer("Subject to a child protection plan",
               child.get_child_protection_plan_display() if child.child_protection_plan else "", added),
    ])


def missing_answers(parts: list[Part]) -> list[tuple[str, Answer]]:
    return [(part.title, answer) for part in parts for answer in part.answers if answer.missing]
