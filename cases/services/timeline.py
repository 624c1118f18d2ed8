"""Writes to a case's timeline: internal notes and phone calls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from calendars.configured import phone_hours
from cases.first_answer import clock
from cases.models import CallDirection, CallOutcome, Case, Note, PhoneCall, Status
from cases.services.cases import case_update


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
