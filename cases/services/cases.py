"""The life of a case: opening it with a fresh reference, and every later change on the record.

No rule lives in ``save()`` or in signals: what happens to a case is read here.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.first_answer import clock
from cases.models import (
    Case,
    CaseChange,
    CaseCounter,
    Category,
    Contact,
    Organisation,
    Priority,
    Status,
)

#: The fields of a case whose every change is written to the timeline.
TRACKED_FIELDS = (
    "status",
    "priority",
    "assignee",
    "category",
    "organisation",
    "contact",
    "subject",
)

#: The first-answer clock of a case, kept in step on the caller's object after an update.
SLA_FIELDS = ("sla_target", "due_at", "sla_paused_since", "sla_paused_total")


class CaseConflict(Exception):
    """Someone else changed the case since the user loaded it."""

    def __init__(self, case: Case, changes: list[CaseChange]) -> None:
        self.case = case
        self.changes = changes
        super().__init__(
            _("%(reference)s was changed by someone else while you were editing it.")
            % {"reference": case.reference}
        )


def _next_reference(year: int) -> str:
    """``PSO-2026-00042``: the year's next number, never handed out twice.

    The counter row is locked by the UPDATE until the surrounding transaction
    commits, so concurrent openings queue instead of sharing a number.
    """
    number = _count(year)
    if number is None:
        # The year's first case: create its counter, then count as usual.
        CaseCounter.objects.get_or_create(year=year)
        number = _count(year)
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:05d}"


def _count(year: int) -> int | None:
    """Add one to the year's counter and read it back in the same statement (RETURNING:
    SQLite 3.35+ and PostgreSQL), or None when the year has no counter yet."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"', [year]
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


@transaction.atomic
def case_open(
    *,
    subject: str,
    channel: str,
    actor: AbstractBaseUser | None,
    organisation: Organisation | None = None,
    contact: Contact | None = None,
    category: Category | None = None,
    priority: str = Priority.NORMAL,
    description: str = "",
    assignee: AbstractBaseUser | None = None,
    created_at: dt.datetime | None = None,
) -> Case:
    """Open a case, with a fresh reference and a snapshot of the PSO status of that moment."""
    created_at = created_at or timezone.now()
    if organisation is None and contact is not None:
        organisation = contact.organisation
    case = Case(
        reference=_next_reference(timezone.localdate(created_at).year),
        subject=subject,
        description=description,
        channel=channel,
        category=category,
        priority=priority,
        status=Status.NEW,
        organisation=organisation,
        contact=contact,
        assignee=assignee,
        created_by=actor,
        created_at=created_at,
    )
    if organisation is not None:
        in_force = organisation.status_on(timezone.localdate(created_at))
        if in_force is not None:
            case.pso_level_at_open = in_force.level
            case.pso_valid_until_at_open = in_force.valid_until
            case.pso_reference_at_open = in_force.reference
    # Every case gets its first-answer target (cases.first_answer holds the rules).
    clock.case_start_clock(case)
    # The caller's fields are checked. The rows it points at were handed in as saved
    # objects and the reference comes from the counter, so asking the database whether
    # they exist or are unique would only repeat what its constraints guarantee; the
    # rest (status, times, the clock, the PSO snapshot) is written here, not given.
    case.full_clean(exclude=_not_given(), validate_unique=False)
    case.save()
    return case


#: The fields of a new case that come from ``case_open``'s caller: these are validated.
GIVEN_FIELDS = frozenset({"subject", "description", "channel", "priority"})


@functools.cache
def _not_given() -> list[str]:
    return [field.name for field in Case._meta.concrete_fields if field.name not in GIVEN_FIELDS]


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    cause: str = "",
    **changes: Any,
) -> list[CaseChange]:
    """Change tracked fields of a case and write one timeline entry per changed field.

    ``cause`` (a ``ChangeCause``) says what made the change when no person did.

    With ``expected_version`` (the version the user's form was built from), the
    write only happens when nobody changed the case in between; otherwise
    ``CaseConflict`` says what they changed, and nothing is overwritten.
    """
    unknown = set(changes) - set(TRACKED_FIELDS)
    if unknown:
        raise TypeError(f"case_update: not a tracked field: {', '.join(sorted(unknown))}")
    at = at or timezone.now()
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise CaseConflict(
            current, list(current.changes.filter(at__gte=case.updated_at).select_related("actor"))
        )

    recorded: list[CaseChange] = []
    for field, new in changes.items():
        old = getattr(current, field)
        if _raw(old) == _raw(new):
            continue
        setattr(current, field, new)
        recorded.append(
            CaseChange(
                case=current,
                actor=actor,
                at=at,
                field=field,
                old_value=_raw(old),
                new_value=_raw(new),
                cause=cause,
            )
        )
    if not recorded:
        return []

    if "status" in changes:
        # resolved_at marks when the helpdesk's work ended (resolved, or closed
        # without a resolution); reopening clears it, so the backlog counts it again.
        if changes["status"] in (Status.RESOLVED, Status.CLOSED):
            current.resolved_at = current.resolved_at or at
        elif changes["status"] in Status.active():
            current.resolved_at = None
    # The first-answer clock (rules in cases.first_answer): it stands still while the
    # case waits on the customer, and a new priority brings a new target.
    if "status" in changes:
        old_status = next((c.old_value for c in recorded if c.field == "status"), None)
        if old_status is not None and changes["status"] == Status.WAITING:
            clock.case_paused(current, at)
        elif old_status == Status.WAITING:
            clock.case_resumed(current, at)
    if any(c.field == "priority" for c in recorded):
        clock.case_priority_changed(current)
    current.version = F("version") + 1
    current.full_clean(exclude=["version"])
    current.save()
    CaseChange.objects.bulk_create(recorded)
    current.refresh_from_db()
    # Keep the caller's object in step with the database.
    for f in [*TRACKED_FIELDS, *SLA_FIELDS, "version", "resolved_at", "updated_at"]:
        setattr(case, f, getattr(current, f))
    return recorded
