"""The write paths of cases: every view, import, mail intake and task calls these.

Each function is keyword-only, runs in one transaction and returns what it made.
No rule lives in ``save()`` or in signals: what happens to a case is read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.configured import phone_hours
from cases.first_answer import clock
from cases.models import (
    CallDirection,
    CallOutcome,
    Case,
    CaseChange,
    CaseCounter,
    Category,
    Contact,
    Note,
    Organisation,
    PhoneCall,
    PhoneNumber,
    Priority,
    PsoLevel,
    PsoStatus,
    Status,
)
from cases.models.organisations import PsoSource

#: How long an Aspirant status lasts unless the record says otherwise: the
#: scheme's aim is to reach a Trede within two years.
ASPIRANT_VALIDITY = relativedelta(years=2)

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


# --- PSO status ----------------------------------------------------------------------


def default_valid_until(level: str, effective_from: dt.date) -> dt.date | None:
    """The end of a status when none is given: two years for Aspirant, open otherwise."""
    if level == PsoLevel.ASPIRANT:
        return effective_from + ASPIRANT_VALIDITY
    return None


@transaction.atomic
def pso_status_record(
    *,
    organisation: Organisation,
    level: str,
    effective_from: dt.date,
    valid_until: dt.date | None = None,
    reference: str = "",
    source: str = PsoSource.MANUAL,
    note: str = "",
) -> PsoStatus:
    """Add an assessment outcome to the organisation's history."""
    status = PsoStatus(
        organisation=organisation,
        level=level,
        effective_from=effective_from,
        valid_until=valid_until or default_valid_until(level, effective_from),
        reference=reference,
        source=source,
        note=note,
    )
    status.full_clean()
    status.save()
    return status


# --- Cases ---------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """``PSO-2026-00042``: the year's next number, never handed out twice.

    The counter row is locked by the UPDATE until the surrounding transaction
    commits, so concurrent openings queue instead of sharing a number.
    """
    if not CaseCounter.objects.filter(year=year).update(last=F("last") + 1):
        # The year's first case: create its counter, then count as usual.
        CaseCounter.objects.get_or_create(year=year)
        CaseCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = CaseCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:05d}"


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
    case.full_clean()
    case.save()
    return case


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
    **changes: Any,
) -> list[CaseChange]:
    """Change tracked fields of a case and write one timeline entry per changed field.

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


@transaction.atomic
def note_add(
    *, case: Case, author: AbstractBaseUser | None, body: str, at: dt.datetime | None = None
) -> Note:
    """Add an internal note; ``at`` for notes written earlier (imports, demo data)."""
    note = Note(case=case, author=author, body=body, created_at=at or timezone.now())
    note.full_clean()
    note.save()
    return note


@dataclass(frozen=True)
class CallDetails:
    number: str
    started_at: dt.datetime
    duration: dt.timedelta = dt.timedelta()
    notes: str = ""
    outcome: str = CallOutcome.ANSWERED
    direction: str = CallDirection.INBOUND


@transaction.atomic
def call_log(*, case: Case, actor: AbstractBaseUser | None, call: CallDetails) -> PhoneCall:
    """Add a phone call to a case's timeline.

    Whether it came in inside phone hours is decided by the configured phone
    calendar. A call in which the helpdesk spoke to the caller is the case's
    first response when it has none yet; a message or a callback request is not.
    """
    record = PhoneCall(
        case=case,
        direction=call.direction,
        number=call.number,
        started_at=call.started_at,
        duration=call.duration,
        notes=call.notes,
        outcome=call.outcome,
        logged_by=actor,
        inside_phone_hours=phone_hours().is_open(call.started_at),
    )
    record.full_clean()
    record.save()
    if call.outcome == CallOutcome.ANSWERED:
        # The first one wins; late_by and response_time are in working time.
        clock.case_first_response(case, call.started_at)
        if case.status == Status.NEW:
            case_update(case=case, actor=actor, status=Status.OPEN, at=call.started_at)
    return record


# --- Callers ---------------------------------------------------------------------------------


def organisation_find_or_create(*, name: str) -> Organisation:
    """The organisation with exactly this name (ignoring case), or a new one.

    Typed while talking, so a known organisation is reused rather than doubled.
    """
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
    if existing is not None:
        return existing
    organisation = Organisation(name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def contact_find_or_create(
    *,
    name: str,
    number: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> Contact:
    """The caller as a contact, with the number they called from, so the next call finds them.

    A contact with the same name (ignoring case) and the same number or email is
    the same person and is reused; anyone else becomes a new contact. Without a
    chosen organisation, ``organisation_name`` finds one by its exact name or
    creates it. ``number`` must already be E.164 (``cases.phones.normalise``).
    """
    name = " ".join(name.split())
    if organisation is None and organisation_name.strip():
        organisation = organisation_find_or_create(name=organisation_name)

    same_person = Contact.objects.none()
    if number:
        same_person = Contact.objects.filter(name__iexact=name, phones__number=number)
    if email:
        same_person = same_person | Contact.objects.filter(name__iexact=name, email__iexact=email)
    contact = same_person.order_by("pk").first()
    if contact is None:
        contact = Contact(name=name, email=email, organisation=organisation)
        contact.full_clean()
        contact.save()
    else:
        if organisation is not None and contact.organisation_id is None:
            contact.organisation = organisation
            contact.save(update_fields=["organisation"])
        if email and not contact.email:
            contact.email = email
            contact.save(update_fields=["email"])
    if number and not contact.phones.filter(number=number).exists():
        PhoneNumber.objects.create(contact=contact, number=number)
    return contact
