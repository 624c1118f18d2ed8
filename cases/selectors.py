"""Reusable reads of cases: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case as DbCase
from django.db.models import (
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
from staff.roles import staff_members

DASHBOARD_LIMIT = 15


def cases_for_lists() -> QuerySet[Case]:
    """Cases with what every list row shows (their organisation's PSO status today
    included), fetched in the same query."""
    return cases_with_current_pso(
        Case.objects.select_related("organisation", "contact", "assignee", "category")
    )


def dashboard_lists(user: AbstractBaseUser) -> dict[str, Any]:
    active = cases_for_lists().filter(status__in=Status.active())
    return {
        "my_cases": active.filter(assignee=user).order_by("-priority", "created_at")[
            :DASHBOARD_LIMIT
        ],
        "unassigned_cases": active.filter(assignee__isnull=True).order_by(
            "-priority", "created_at"
        )[:DASHBOARD_LIMIT],
        "urgent_cases": active.filter(priority=Priority.URGENT).order_by("created_at")[
            :DASHBOARD_LIMIT
        ],
    }


# --- PSO status in lists -----------------------------------------------------------------


def _pso_in_force(organisation_ref: str, today: dt.date) -> QuerySet[PsoStatus]:
    return PsoStatus.objects.in_force_on(today).filter(organisation=OuterRef(organisation_ref))


def organisations_with_current_pso(
    queryset: QuerySet[Organisation] | None = None, *, today: dt.date | None = None
) -> QuerySet[Organisation]:
    """Organisations annotated with ``current_pso_level`` and ``current_pso_valid_until``.

    The status in force today (``PsoStatusQuerySet.in_force_on``) comes from a
    subquery, so a list of organisations costs one query whatever its length.
    Both annotations are None for an organisation without a status in force.
    """
    queryset = Organisation.objects.all() if queryset is None else queryset
    in_force = _pso_in_force("pk", today or timezone.localdate())
    return queryset.annotate(
        current_pso_level=Subquery(in_force.values("level")[:1]),
        current_pso_valid_until=Subquery(in_force.values("valid_until")[:1]),
    )


def cases_with_current_pso(
    queryset: QuerySet[Case] | None = None, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """Cases annotated with their organisation's PSO status today (see above)."""
    queryset = Case.objects.all() if queryset is None else queryset
    in_force = _pso_in_force("organisation", today or timezone.localdate())
    return queryset.annotate(
        current_pso_level=Subquery(in_force.values("level")[:1]),
        current_pso_valid_until=Subquery(in_force.values("valid_until")[:1]),
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


def caller_search(query: str, *, limit: int = CALLER_SEARCH_LIMIT) -> CallerResults:
    """Contacts and organisations matching a phone number, name, email, KvK number.

    Phone numbers in any Dutch notation are normalised and matched exactly on
    the stored E.164 form; a run of digits also matches part of a number. A
    fixed number of queries (contacts, their phones, organisations, their
    phones), whatever is found.
    """
    text = " ".join((query or "").split())
    if len(text) < CALLER_SEARCH_MIN_LENGTH:
        return CallerResults(query=text, number=None)
    number, digits = phone_query(text)

    contact_match = Q(name__icontains=text) | Q(email__icontains=text)
    organisation_match = Q(name__icontains=text)
    if number:
        contact_match |= Q(phones__number=number)
        organisation_match |= Q(phones__number=number)
    if digits:
        contact_match |= Q(phones__number__contains=digits)
        organisation_match |= Q(phones__number__contains=digits)
    kvk = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{8}", kvk):
        organisation_match |= Q(kvk_number=kvk)
        contact_match |= Q(organisation__kvk_number=kvk)
    if "@" in text:
        domain = text.rsplit("@", 1)[1].strip().lower()
        if domain:
            organisation_match |= Q(email_domains__icontains=domain)

    today = timezone.localdate()
    phones = Prefetch("phones", queryset=PhoneNumber.objects.order_by("id"))
    contact_ids = Contact.objects.filter(contact_match).values("pk")
    contacts = list(
        Contact.objects.filter(pk__in=contact_ids)
        .select_related("organisation")
        .annotate(
            current_pso_level=Subquery(_pso_in_force("organisation", today).values("level")[:1]),
            current_pso_valid_until=Subquery(
                _pso_in_force("organisation", today).values("valid_until")[:1]
            ),
        )
        .prefetch_related(phones)
        .order_by("name", "pk")[:limit]
    )
    organisation_ids = Organisation.objects.filter(organisation_match).values("pk")
    organisations = list(
        organisations_with_current_pso(
            Organisation.objects.filter(pk__in=organisation_ids), today=today
        )
        .prefetch_related(phones)
        .order_by("name", "pk")[:limit]
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
    """One case with everything its header shows; raises ``Case.DoesNotExist``."""
    return cases_for_lists().select_related("created_by").get(reference=reference)


#: The case list's order when none (or an unknown one) is chosen: newest first.
CASE_ORDER_DEFAULT = "-created"


def cases_matching_text(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """The cases whose reference, subject, description, organisation name, contact
    name or contact email contains ``text`` (any case, runs of spaces read as one).

    An empty text matches every case.
    """
    text = " ".join((text or "").split())
    if not text:
        return queryset
    return queryset.filter(
        Q(reference__icontains=text)
        | Q(subject__icontains=text)
        | Q(description__icontains=text)
        | Q(organisation__name__icontains=text)
        | Q(contact__name__icontains=text)
        | Q(contact__email__icontains=text)
    )


def cases_with_pso_level_now(queryset: QuerySet[Case], level: str) -> QuerySet[Case]:
    """The cases whose organisation's PSO level in force today is ``level``.

    ``queryset`` must carry ``current_pso_level`` (``cases_with_current_pso``).
    "None" also matches the cases of organisations without any status in force,
    and the cases without an organisation: for the helpdesk all three are "no PSO".
    """
    if level == PsoLevel.NONE:
        return queryset.filter(
            Q(current_pso_level__isnull=True) | Q(current_pso_level=PsoLevel.NONE)
        )
    return queryset.filter(current_pso_level=level)


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
