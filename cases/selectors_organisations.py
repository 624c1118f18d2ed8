"""Reads of the organisation pages: the filtered list and what one organisation's page shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cases.models import Case, Organisation, PhoneNumber, PsoStatus, Status
from cases.phones import try_normalise
from cases.selectors import organisation_ids_with_pso_level_now, organisations_with_current_pso

#: How many cases the organisation page lists; the case list shows all of them.
ORGANISATION_CASES_LIMIT = 50


def organisations_filtered(
    *,
    today: dt.date,
    warning_days: int,
    q: str = "",
    kind: str = "",
    level: str = "",
    expiring: bool = False,
) -> QuerySet[Organisation]:
    """Organisations for the list, each with its status today and its open cases counted.

    ``q`` matches the name or city (part of it), the KvK number (its start) or a
    phone number of the organisation or one of its contacts, in any notation.
    ``level`` "none" also finds organisations without any status in force.
    ``expiring``: only statuses that end within ``warning_days`` days from today.
    """
    open_cases = (
        Case.objects.filter(organisation=OuterRef("pk"), status__in=Status.active())
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Counted per row shown (the index on organisation and status), not by grouping
    # every case of every organisation for a page of 25.
    queryset = organisations_with_current_pso(today=today).annotate(
        open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), 0)
    )
    q = (q or "").strip()
    if q:
        match = Q(name__icontains=q) | Q(city__icontains=q)
        digits = re.sub(r"[\s.]", "", q)
        if digits.isdigit() and len(digits) >= 4:
            match |= Q(kvk_number__startswith=digits)
        number = try_normalise(q) if re.fullmatch(r"[\d\s()+\-./]{6,}", q) else None
        if number:
            match |= Exists(
                PhoneNumber.objects.filter(number=number).filter(
                    Q(organisation=OuterRef("pk")) | Q(contact__organisation=OuterRef("pk"))
                )
            )
        queryset = queryset.filter(match)
    if kind:
        queryset = queryset.filter(kind=kind)
    if level:
        queryset = queryset.filter(pk__in=organisation_ids_with_pso_level_now(level, today=today))
    if expiring:
        queryset = queryset.filter(
            current_pso_valid_until__gte=today,
            current_pso_valid_until__lte=today + dt.timedelta(days=warning_days),
        )
    return queryset.order_by("name", "pk")


@dataclass(frozen=True)
class HistoryEntry:
    """One status record as the timeline shows it."""

    status: PsoStatus
    in_force: bool
    expiring: bool


def status_history(
    organisation: Organisation, *, today: dt.date, warning_days: int
) -> tuple[list[HistoryEntry], PsoStatus | None]:
    """The organisation's statuses, newest first, with the one in force today marked.

    Only the status in force is flagged as expiring: a superseded record ending
    soon tells nobody anything.
    """
    statuses = list(organisation.pso_statuses.order_by("-effective_from", "-id"))
    current = next(
        (
            s
            for s in statuses
            if s.effective_from <= today and (s.valid_until is None or s.valid_until >= today)
        ),
        None,
    )
    entries = [
        HistoryEntry(
            status=s,
            in_force=s is current,
            expiring=s is current and s.expires_within(today, warning_days),
        )
        for s in statuses
    ]
    return entries, current


def organisation_cases(organisation: Organisation) -> dict[str, Any]:
    """The organisation's cases, open ones first, then the newest; and how many there are."""
    cases = (
        Case.objects.filter(organisation=organisation)
        .select_related("assignee", "category", "contact")
        .annotate(
            closed_rank=DbCase(
                When(status__in=Status.active(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed_rank", "-created_at")
    )
    return {
        "cases": list(cases[:ORGANISATION_CASES_LIMIT]),
        "cases_total": Case.objects.filter(organisation=organisation).count(),
    }
