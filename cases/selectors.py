"""Reusable reads of cases: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from cases.models import (
    Case,
    Contact,
    Organisation,
    PhoneNumber,
    Priority,
    PsoLevel,
    PsoStatus,
    Status,
)
from cases.phones import try_normalise
from cases.selectors_phones import phone_numbers_named
from cases.selectors_rows import case_rows, with_current_pso
from staff.roles import staff_members

DASHBOARD_LIMIT = 15


def cases_for_lists() -> QuerySet[Case]:
    """Cases with what every list row shows (their organisation's PSO status today
    included), fetched in the same query."""
    return cases_with_current_pso(
        Case.objects.select_related("organisation", "contact", "assignee", "category")
    )


def first_rows(queryset: QuerySet[Case], limit: int) -> list[Case]:
    """The first ``limit`` cases of an ordered list, each with what a list row shows.

    One query in two steps: the ids are picked from the filtered, ordered cases
    alone (narrow rows), then only those rows are joined with their organisation,
    contact, assignee and category; joining first would join and sort every
    active case for fifteen rows. The PSO status today comes from the joined
    organisation (``cases.selectors_rows.with_current_pso``).
    """
    order = queryset.query.order_by
    ids = queryset.values("pk")[:limit]
    return with_current_pso(case_rows().filter(pk__in=ids).order_by(*order))


def dashboard_lists(user: AbstractBaseUser) -> dict[str, Any]:
    active = Case.objects.filter(status__in=Status.active())
    return {
        "my_cases": first_rows(
            active.filter(assignee=user).order_by("-priority", "created_at", "pk"),
            DASHBOARD_LIMIT,
        ),
        "unassigned_cases": first_rows(
            active.filter(assignee__isnull=True).order_by("-priority", "created_at", "pk"),
            DASHBOARD_LIMIT,
        ),
        "urgent_cases": first_rows(
            active.filter(priority=Priority.URGENT).order_by("created_at", "pk"), DASHBOARD_LIMIT
        ),
    }


# --- PSO status in lists -----------------------------------------------------------------


def _pso_in_force(organisation_ref: str, today: dt.date) -> QuerySet[PsoStatus]:
    return PsoStatus.objects.in_force_on(today).filter(organisation=OuterRef(organisation_ref))


def pso_now_holds(today: dt.date, prefix: str = "") -> Q:
    """Organisations (through ``prefix``, e.g. ``"organisation__"``) whose kept status
    (``Organisation.pso_level_now``, see ``cases.pso_now``) is the answer on ``today``."""
    return Q(**{f"{prefix}pso_now_since__lte": today}) & (
        Q(**{f"{prefix}pso_now_through__isnull": True})
        | Q(**{f"{prefix}pso_now_through__gte": today})
    )


def pso_now_stale(today: dt.date) -> Q:
    """Organisations whose kept status does not hold on ``today`` (or was never worked out)."""
    return Q(pso_now_since__isnull=True) | Q(pso_now_since__gt=today) | Q(pso_now_through__lt=today)


def current_pso_annotations(organisation_ref: str, today: dt.date) -> dict[str, DbCase]:
    """``current_pso_level`` and ``current_pso_valid_until`` of the organisation at
    ``organisation_ref`` ("pk" on organisations, "organisation" on cases …) on ``today``.

    The kept status where it holds on ``today``; otherwise (a status expired or came
    into force since it was worked out, and the roll-over has not run yet) the
    record in force, from a subquery: the answer is the same either way.
    """
    prefix = "" if organisation_ref == "pk" else f"{organisation_ref}__"
    holds = pso_now_holds(today, prefix)
    in_force = _pso_in_force(organisation_ref, today)
    return {
        "current_pso_level": DbCase(
            When(holds, then=F(f"{prefix}pso_level_now")),
            default=Subquery(in_force.values("level")[:1]),
            output_field=CharField(),
        ),
        "current_pso_valid_until": DbCase(
            When(holds, then=F(f"{prefix}pso_valid_until_now")),
            default=Subquery(in_force.values("valid_until")[:1]),
            output_field=DateField(),
        ),
    }


def organisations_with_current_pso(
    queryset: QuerySet[Organisation] | None = None, *, today: dt.date | None = None
) -> QuerySet[Organisation]:
    """Organisations annotated with ``current_pso_level`` and ``current_pso_valid_until``.

    Both are None for an organisation without a status in force (see
    ``current_pso_annotations``); a list costs one query whatever its length.
    """
    queryset = Organisation.objects.all() if queryset is None else queryset
    return queryset.annotate(**current_pso_annotations("pk", today or timezone.localdate()))


def cases_with_current_pso(
    queryset: QuerySet[Case] | None = None, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """Cases annotated with their organisation's PSO status today (see above)."""
    queryset = Case.objects.all() if queryset is None else queryset
    return queryset.annotate(
        **current_pso_annotations("organisation", today or timezone.localdate())
    )


def organisation_ids_with_pso_level_now(level: str, *, today: dt.date) -> QuerySet[Any]:
    """The ids of the organisations whose status in force on ``today`` is ``level``.

    "None" also matches organisations without any status in force. The union of
    two look-ups: the kept status where it holds (an index on ``pso_level_now``),
    and the history only for the organisations whose kept status is out of date;
    so the filter never runs a subquery per case, and the database can hash the
    ids once.
    """

    def matches(column: str) -> Q:
        if level == PsoLevel.NONE:
            return Q(**{f"{column}__isnull": True}) | Q(**{column: PsoLevel.NONE})
        return Q(**{column: level})

    kept = Organisation.objects.filter(pso_now_holds(today) & matches("pso_level_now"))
    stale = (
        Organisation.objects.filter(pso_now_stale(today))
        .annotate(live_level=Subquery(_pso_in_force("pk", today).values("level")[:1]))
        .filter(matches("live_level"))
    )
    return (
        kept.order_by()
        .values_list("pk", flat=True)
        .union(stale.order_by().values_list("pk", flat=True))
    )


# --- Who is calling -------------------------------------------------------------------------

CALLER_SEARCH_LIMIT = 10
CALLER_SEARCH_MIN_LENGTH = 2
#: Fewer digits than this match too many numbers to be worth a partial search.
PARTIAL_NUMBER_MIN_DIGITS = 4
_PHONE_CHARACTERS = re.compile(r"^[\d\s()+\-./]+$")


@dataclass(frozen=True)
class CallerResults:
    """What the search box of the log-a-call screen found."""

    query: str
    number: str | None
    contacts: list[Contact] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        """Whether the query was long enough to search at all."""
        return len(self.query) >= CALLER_SEARCH_MIN_LENGTH

    @property
    def found(self) -> bool:
        return bool(self.contacts or self.organisations)

    @property
    def count(self) -> int:
        """How many results there are: what a screen reader is told."""
        return len(self.contacts) + len(self.organisations)


def phone_query(query: str) -> tuple[str | None, str]:
    """``(E.164 number or None, digits for a partial match)`` for a search text.

    Only text made of digits and phone punctuation counts as a number, so a name
    is never read as one. The partial digits drop leading zeros ("06 123" →
    "6123") because stored numbers are E.164 ("+31 6 123…").
    """
    text = query.strip()
    if not text or not _PHONE_CHARACTERS.match(text):
        return None, ""
    digits = re.sub(r"\D", "", text)
    if len(digits) < PARTIAL_NUMBER_MIN_DIGITS:
        return None, ""
    return try_normalise(text), digits.lstrip("0")


def _ids(queryset: QuerySet[Any], column: str = "pk") -> QuerySet[Any]:
    return queryset.order_by().values(column)


def _union(parts: list[QuerySet[Any]]) -> QuerySet[Any]:
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def caller_search(query: str, *, limit: int = CALLER_SEARCH_LIMIT) -> CallerResults:
    """Contacts and organisations matching a phone number, name, email, KvK number.

    Phone numbers in any Dutch notation are normalised and matched exactly on
    the stored E.164 form; a run of digits also matches the start or the end of a
    number (``selectors_phones.phone_numbers_named``). A
    fixed number of queries (contacts, their phones, organisations, their
    phones), whatever is found.
    """
    text = " ".join((query or "").split())
    if len(text) < CALLER_SEARCH_MIN_LENGTH:
        return CallerResults(query=text, number=None)
    number, digits = phone_query(text)

    # Each part looks in one table, so each can use its own index (the exact number
    # and a fragment B-trees on PostgreSQL); the union of their
    # ids is then looked up once. One OR across joined tables would read them all.
    contact_parts = [
        _ids(Contact.objects.filter(Q(name__icontains=text) | Q(email__icontains=text)))
    ]
    organisation_parts = [_ids(Organisation.objects.filter(name__icontains=text))]
    if number or digits:
        matched = phone_numbers_named(text, number)
        contact_parts.append(_ids(matched.filter(contact__isnull=False), "contact"))
        organisation_parts.append(_ids(matched.filter(organisation__isnull=False), "organisation"))
    kvk = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{8}", kvk):
        organisation_parts.append(_ids(Organisation.objects.filter(kvk_number=kvk)))
        contact_parts.append(_ids(Contact.objects.filter(organisation__kvk_number=kvk)))
    if "@" in text:
        domain = text.rsplit("@", 1)[1].strip().lower()
        if domain:
            organisation_parts.append(
                _ids(Organisation.objects.filter(email_domains__icontains=domain))
            )
    contact_ids, organisation_ids = _union(contact_parts), _union(organisation_parts)

    today = timezone.localdate()
    phones = Prefetch("phones", queryset=PhoneNumber.objects.order_by("id"))
    # The first ``limit`` by name are picked from the matches alone, then only those
    # are joined with their organisation and PSO status: a number fragment can match
    # ten thousand contacts, and joining them all first cost a scan of every one.
    first_contacts = (
        Contact.objects.filter(pk__in=contact_ids).order_by("name", "pk").values("pk")[:limit]
    )
    first_organisations = (
        Organisation.objects.filter(pk__in=organisation_ids)
        .order_by("name", "pk")
        .values("pk")[:limit]
    )
    contacts = list(
        Contact.objects.filter(pk__in=first_contacts)
        .select_related("organisation")
        .annotate(**current_pso_annotations("organisation", today))
        .prefetch_related(phones)
        .order_by("name", "pk")
    )
    organisations = list(
        organisations_with_current_pso(
            Organisation.objects.filter(pk__in=first_organisations), today=today
        )
        .prefetch_related(phones)
        .order_by("name", "pk")
    )
    return CallerResults(query=text, number=number, contacts=contacts, organisations=organisations)


def open_cases_of_caller(
    *, contact: Contact | None = None, organisation: Organisation | None = None
) -> QuerySet[Case]:
    """The active cases of a caller's organisation and of the caller, oldest first."""
    match = Q(pk__in=[])
    if organisation is not None:
        match |= Q(organisation=organisation)
    if contact is not None:
        match |= Q(contact=contact)
    return cases_for_lists().filter(match, status__in=Status.active()).order_by("created_at", "pk")


# --- Cases ------------------------------------------------------------------------------------


def staff_users() -> QuerySet[AbstractBaseUser]:
    """Active people who work cases: the assignees to choose from (``staff.roles``)."""
    return staff_members()


def case_for_detail(reference: str) -> Case:
    """One case with everything its header shows; raises ``Case.DoesNotExist``.

    Its organisation's PSO status today comes from the joined organisation's kept
    level, as in the lists (``cases.selectors_rows.with_current_pso``): no subqueries
    over the status history for the one row."""
    case = case_rows().select_related("created_by", "merged_into").get(reference=reference)
    with_current_pso([case])
    return case


#: The case list's order when none (or an unknown one) is chosen: newest first.
CASE_ORDER_DEFAULT = "-created"


def cases_with_pso_level_now(
    queryset: QuerySet[Case], level: str, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """The cases whose organisation's PSO level in force today is ``level``.

    "None" also matches the cases of organisations without any status in force,
    and the cases without an organisation: for the helpdesk all three are "no PSO".
    """
    ids = organisation_ids_with_pso_level_now(level, today=today or timezone.localdate())
    match = Q(organisation_id__in=ids)
    if level == PsoLevel.NONE:
        match |= Q(organisation__isnull=True)
    # Joined with the organisation (an unused alias), PostgreSQL starts from the matching
    # organisations and reads their cases by index; without the join it scanned every
    # case and hashed them against the ids (about twice the time at 200,000 cases).
    return queryset.alias(_pso_join=F("organisation__pso_now_since")).filter(match)


def cases_ordered(queryset: QuerySet[Case], sort: str) -> QuerySet[Case]:
    """The cases in one of the case list's orders, named as in its query string.

    ``-created``/``created``: newest/oldest first. ``-priority``/``priority``:
    urgent/normal first, newest first within each. ``due``: running unanswered
    cases by due time, then paused ones (waiting on the customer) by due time, then
    every case without a running clock, newest first. An unknown name gives
    ``CASE_ORDER_DEFAULT``. The primary key breaks ties, so pages never overlap.
    """
    urgent_first = DbCase(
        When(priority=Priority.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    clock = Q(status__in=Status.active(), first_response_at__isnull=True, due_at__isnull=False)
    clock_rank = DbCase(
        When(clock & Q(sla_paused_since__isnull=True), then=Value(0)),
        When(clock, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    due_key = DbCase(When(clock, then=F("due_at")), default=None)
    orderings = {
        "due": [clock_rank.asc(), due_key.asc(nulls_last=True), "-created_at", "-pk"],
        "-created": ["-created_at", "-pk"],
        "created": ["created_at", "pk"],
        "-priority": [urgent_first.asc(), "-created_at", "-pk"],
        "priority": [urgent_first.desc(), "-created_at", "-pk"],
    }
    return queryset.order_by(*orderings.get(sort, orderings[CASE_ORDER_DEFAULT]))
