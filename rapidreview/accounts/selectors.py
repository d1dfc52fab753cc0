"""Reads about people, agencies and roles."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Agency, LeadSafeguardingPartner, Partnership, Role, RoleAssignment, StatutoryPartner, User

# Every reader of roles names the partnership: a role is held in one partnership (ADR 0015).


def current_assignments(role: str, *, partnership: Partnership) -> QuerySet[RoleAssignment]:
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(role=role, partnership=partnership, starts_on__lte=today, user__is_active=True)
        .exclude(ends_on__lt=today)
        .select_related("user", "user__agency", "substitute")
    )


def users_with_role(role: str, *, partnership: Partnership) -> QuerySet[User]:
    """Active people who hold ``role`` today in ``partnership``."""
    ids = current_assignments(role, partnership=partnership).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).select_related("agency")


def executive_chair(*, partnership: Partnership) -> User | None:
    assignment = current_assignments(Role.EXECUTIVE, partnership=partnership).filter(is_chair=True).first()
    return assignment.user if assignment else None


def executive_for_partner(partner: StatutoryPartner, *, partnership: Partnership) -> QuerySet[User]:
    ids = current_assignments(Role.EXECUTIVE, partnership=partnership).filter(
        statutory_partner=partner).values("user_id")
    return User.objects.filter(pk__in=ids)


def agency_leads(agency: Agency, *, partnership: Partnership) -> QuerySet[User]:
    """The agency's safeguarding leads who hold that role in ``partnership``."""
    return users_with_role(Role.AGENCY_LEAD, partnership=partnership).filter(agency=agency)


# What the reminder sweep reads of the people it reminds (``rapidreview.clocks.ladders``): a sweep reads the roles
# of every partnership with a deadline due, thousands of rows, and every column of a person and their agency cost
# more to read than the reminders themselves (issue 20).
RECIPIENT_FIELDS = ("id", "email", "full_name", "is_active", "agency_id")


def people_with_role_in(role: str, partnership_ids, *, agency_ids=None) -> dict[int, list[User]]:
    """``users_with_role`` for many partnerships in one query, for reminders: partnership id -> its people, in the
    same order (only those of ``agency_ids`` when given). Each person is read only as far as ``RECIPIENT_FIELDS``."""
    today = timezone.localdate()
    rows = (RoleAssignment.objects.filter(role=role, partnership_id__in=set(partnership_ids), starts_on__lte=today,
                                          user__is_active=True).exclude(ends_on__lt=today)
            .select_related("user").only("partnership_id", "user_id", *(f"user__{name}" for name in RECIPIENT_FIELDS))
            .order_by("user__full_name", "user_id"))
    if agency_ids is not None:
        rows = rows.filter(user__agency_id__in=set(agency_ids))
    out: dict[int, list[User]] = {}
    for row in rows:
        people = out.setdefault(row.partnership_id, [])
        if all(p.pk != row.user_id for p in people):
            people.append(row.user)
    return out


def agency_leads_in(pairs) -> dict[tuple, list[User]]:
    """``agency_leads`` for many (agency id, partnership id) pairs in one query: pair -> leads, in the same order."""
    pairs = set(pairs)
    if not pairs:
        return {}
    grouped: dict[tuple, list[User]] = {}
    # Only the pairs' agencies' leads: a sweep's pairs span many partnerships, each with a dozen agencies' leads.
    for partnership, people in people_with_role_in(Role.AGENCY_LEAD, {p for _, p in pairs},
                                                   agency_ids={a for a, _ in pairs}).items():
        for person in people:
            grouped.setdefault((person.agency_id, partnership), []).append(person)
    return {pair: grouped.get(pair, []) for pair in pairs}


def agencies_served(pairs) -> set[tuple]:
    """Which of the (agency id, partnership id) pairs are in the partnership's arrangements, in one query."""
    pairs = set(pairs)
    if not pairs:
        return set()
    through = Partnership.agencies.through
    rows = through.objects.filter(partnership_id__in={p for _, p in pairs}, agency_id__in={a for a, _ in pairs})
    return {(agency, partnership) for partnership, agency in rows.values_list("partnership_id", "agency_id")}


def partnerships_of(user: User) -> list[Partnership]:
    """The active partnerships in which ``user`` holds a role today, by name."""
    if not user.is_authenticated:
        return []
    mine = {r.partnership_id: r.partnership for r in user.current_assignments}
    return sorted((p for p in mine.values() if p.is_active), key=lambda p: p.name)


def partnership_agencies(partnership: Partnership) -> QuerySet[Agency]:
    """The active agencies in ``partnership``'s arrangements."""
    return partnership.agencies.filter(is_active=True).order_by("name")


def people_list(*, partnership: Partnership) -> QuerySet[User]:
    """Everyone who has ever held a role in ``partnership``, with those roles, in a constant number of queries.

    The roles shown are the partnership's own: a person's roles elsewhere are not this partnership's business.
    """
    return (
        User.objects.filter(role_assignments__partnership=partnership).distinct()
        .select_related("agency")
        .prefetch_related(Prefetch(
            "role_assignments", to_attr="partnership_roles",
            queryset=RoleAssignment.objects.filter(partnership=partnership).order_by("role")))
    )


def user_with_roles(user_id, *, partnership: Partnership) -> User:
    """One person of ``partnership`` (404-able DoesNotExist for anyone else)."""
    return people_list(partnership=partnership).get(pk=user_id)


def find_person_by_email(email: str) -> User | None:
    """The account with ``email``, whatever partnership it works for (to give them a role in another)."""
    return User.objects.filter(email__iexact=email.strip()).first()


def works_elsewhere(person: User, partnership: Partnership) -> bool:
    """Whether ``person`` has ever held a role in a partnership other than ``partnership``: their account is then
    not this partnership's alone, so its business unit may give and end roles here but not change the account."""
    return RoleAssignment.objects.filter(user=person).exclude(partnership=partnership).exists()


def partnership_role(assignment_id, *, partnership: Partnership) -> RoleAssignment:
    """One role held in ``partnership`` (DoesNotExist for a role in any other)."""
    return RoleAssignment.objects.select_related("user").get(pk=assignment_id, partnership=partnership)


def partnership_agency(agency_id, *, partnership: Partnership) -> Agency:
    """One agency in ``partnership``'s arrangements (DoesNotExist for any other)."""
    return partnership.agencies.get(pk=agency_id)


def agency_shared_with_others(agency: Agency, *, partnership: Partnership) -> bool:
    """Whether another partnership also has ``agency`` in its arrangements: then only the installation's
    administrator changes its details, which every partnership sees."""
    return agency.partnerships.exclude(pk=partnership.pk).exists()


def agencies_for_people(partnership: Partnership, person: User | None = None) -> QuerySet[Agency]:
    """The agencies a person of ``partnership`` may be recorded as working for: the partnership's active agencies,
    and the one they are recorded with already."""
    query = Q(pk__in=partnership.agencies.filter(is_active=True).values("pk"))
    if person is not None and person.agency_id:
        query |= Q(pk=person.agency_id)
    return Agency.objects.filter(query).order_by("name")


def installation_partnerships() -> QuerySet[Partnership]:
    """Every partnership on the installation with how many people hold a role there today: all the installation's
    administrator sees (never cases)."""
    today = timezone.localdate()
    current = Q(role_assignments__starts_on__lte=today) & (
        Q(role_assignments__ends_on__isnull=True) | Q(role_assignments__ends_on__gte=today))
    return Partnership.objects.annotate(
        people=Count("role_assignments__user", filter=current, distinct=True)).order_by("name")


def active_people(partnership: Partnership) -> QuerySet[User]:
    """Active accounts that have held a role in ``partnership`` (whom a form there may offer, such as a substitute)."""
    return User.objects.filter(role_assignments__partnership=partnership, is_active=True).distinct().order_by(
        "full_name")


def partnership_agency_list(partnership: Partnership) -> QuerySet[Agency]:
    """The agencies in ``partnership``'s arrangements, each with ``shared`` (another partnership lists it too)."""
    others = Partnership.agencies.through.objects.filter(agency_id=OuterRef("pk")).exclude(partnership=partnership)
    return partnership.agencies.annotate(shared=Exists(others)).order_by("name")


def lead_partners(partnership: Partnership) -> QuerySet[LeadSafeguardingPartner]:
    """The partnership's Lead Safeguarding Partners with their delegates, local authority, health, police."""
    return (LeadSafeguardingPartner.objects.filter(partnership=partnership)
            .prefetch_related(Prefetch("delegates", queryset=User.objects.order_by("full_name"))))


def lead_partner(lead_id, *, partnership: Partnership) -> LeadSafeguardingPartner:
    """One of the partnership's lead partners (DoesNotExist for another partnership's)."""
    return LeadSafeguardingPartner.objects.get(pk=lead_id, partnership=partnership)


def delegate_capacities(partnership: Partnership) -> dict[tuple[str, object], str]:
    """(statutory partner, user id) -> "Delegated Safeguarding Partner for <lead>, <title> of <organisation>"."""
    return {(lead.partner, user.pk): f"Delegated Safeguarding Partner for {lead.name}, {lead.title} of "
                                     f"{lead.organisation}"
            for lead in lead_partners(partnership) for user in lead.delegates.all()}


def delegate_candidates(partnership: Partnership) -> QuerySet[User]:
    """Who may be named a Delegated Safeguarding Partner: the partnership's executive members."""
    return users_with_role(Role.EXECUTIVE, partnership=partnership).order_by("full_name")


AGENCY_SEARCH_LIMIT = 20


def agencies_to_add(partnership: Partnership, query: str) -> list[Agency]:
    """Active agencies of the installation not yet in ``partnership``'s arrangements whose name contains ``query``
    (at most ``AGENCY_SEARCH_LIMIT``, by name); none for an empty or one-letter query."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    return list(Agency.objects.filter(is_active=True, name__icontains=query)
                .exclude(pk__in=partnership.agencies.values("pk")).order_by("name")[:AGENCY_SEARCH_LIMIT])


def installation_agency(agency_id) -> Agency:
    """Any agency of the installation (they are shared); Http404 for an unknown id."""
    return get_object_or_404(Agency, pk=agency_id)
