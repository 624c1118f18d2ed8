"""The write paths of telephony: phone systems and their tokens, and applying a call event.

Each function is keyword-only and runs in one transaction. Applying an event is
idempotent per call and event (a repeat changes nothing and gets the first
answer again) and safe in any order: a hangup may come before its newCall, an
answer may be lost; each event only fills in what it knows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.configured import phone_hours
from cases.models import CallDirection, CallOutcome, PhoneCall
from cases.services import CallDetails
from telephony.known import number_blocked, telephony_known_changed
from telephony.models import Call, CallEvent, PhoneSystem
from telephony.payloads import ANSWER, HANGUP, NEW_CALL, CallEventData, party
from telephony.ringing import ringing_changed
from telephony.selectors import phone_owner_ids, staff_for_answer
from telephony.signing import networks_parse, token_hash, token_new

#: Unanswered incoming calls that ended this way were missed (Zammad's caller log says so too).
MISSED_CAUSES = frozenset({"cancel", "noAnswer", "busy"})
REJECT = {"action": "reject", "reason": "busy"}


# --- Phone systems ------------------------------------------------------------------------------


@transaction.atomic
def phone_system_create(
    *,
    name: str,
    actor: AbstractBaseUser | None,
    signing_secret: str = "",
    allowed_networks: str = "",
    book_missed_callbacks: bool = True,
    now: dt.datetime | None = None,
) -> tuple[PhoneSystem, str]:
    """A new phone system and its token; the token is returned once and stored only hashed."""
    networks_parse(allowed_networks)  # a bad entry raises ValueError before anything is saved
    token = token_new()
    system = PhoneSystem(
        name=name.strip(),
        token_hash=token_hash(token),
        token_hint=token[:6],
        signing_secret=signing_secret.strip(),
        allowed_networks=allowed_networks.strip(),
        book_missed_callbacks=book_missed_callbacks,
        created_at=now or timezone.now(),
        created_by=actor,
    )
    system.full_clean()
    system.save()
    return system, token


@transaction.atomic
def phone_system_revoke(*, system: PhoneSystem, now: dt.datetime | None = None) -> PhoneSystem:
    """Revoke the token: from now on its posts are refused (its calls stay in the log)."""
    PhoneSystem.objects.filter(pk=system.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    telephony_known_changed()  # an update sends no signal: every process is told here
    system.refresh_from_db()
    return system


# --- Call events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    call: Call
    #: The answer for the phone system ({} or the reject).
    answer: dict
    #: False for a repeat of an event already stored: nothing changed.
    new: bool
    #: True when this event ended the call (the moment to follow a missed call up).
    ended_now: bool = False


def _answer_for(event: CallEventData, call: Call, blocked: frozenset[str] | None) -> dict:
    """Zammad's reject for a newCall from a blocked number; else the empty answer."""
    incoming = event.kind == NEW_CALL and call.direction == CallDirection.INBOUND
    if not (incoming and call.number):
        return {}
    is_blocked = call.number in blocked if blocked is not None else number_blocked(call.number)
    if is_blocked:
        return dict(REJECT)
    return {}


def _fill_parties(call: Call, event: CallEventData, *, first: bool) -> None:
    """Direction and numbers from the first event to arrive, corrected by the newCall."""
    if event.direction and (first or event.kind == NEW_CALL):
        call.direction = event.direction
    call.from_raw = event.from_raw or call.from_raw
    call.to_raw = event.to_raw or call.to_raw
    other = call.to_raw if call.direction == CallDirection.OUTBOUND else call.from_raw
    found = party(other)
    if first or found.number != call.number:
        call.number, call.anonymous = found.number, found.anonymous
        call.contact_id, call.organisation_id = phone_owner_ids(found.number)
    call.users = list(event.users) or call.users
    call.queue = event.queue or call.queue


def call_locked(*, system: PhoneSystem, call_id: str, kind: str, now: dt.datetime) -> Call | None:
    """The phone system's call ``call_id``, locked until the transaction ends (None: new).

    Two events of one call (a retry racing the original) are so applied one after
    the other; the second finds the first stored and changes nothing. For an answer
    or a hangup, whose call is nearly always there, the same query reads
    ``stored_answer``, what this event of the call was answered when it was stored
    (None: it is new), and ``recent_events``, the phone system's events of the last
    minute (the storm limit): one query where there were three. A newCall's call is
    nearly always new, so its lock is the plain one (the two subqueries would cost
    more than they spare there); ``stored_answer`` and ``events_in_last_minute``
    read them when needed.
    """
    calls = Call.objects.select_for_update().filter(system=system, call_id=call_id).order_by()
    if kind != NEW_CALL:
        stored = CallEvent.objects.filter(call=OuterRef("pk"), kind=kind).values("answer")[:1]
        calls = calls.annotate(
            stored_answer=Subquery(stored), recent_events=Subquery(_recent(system, now))
        )
    call = next(iter(calls[:1]), None)  # one row at most (the pair is unique): no sort
    if call is not None:
        call.system = system  # the same row, as the post was checked against it: no query
    return call


def _recent(system: PhoneSystem, now: dt.datetime) -> QuerySet[CallEvent]:
    """The count of ``events_in_last_minute`` as a subquery (one row, one column)."""
    return (
        CallEvent.objects.filter(system=system, received_at__gt=now - dt.timedelta(minutes=1))
        .order_by()
        .values("system")
        .annotate(count=Count("pk"))
        .values("count")
    )


def commit_waits_for_disk(wait: bool) -> None:
    """Whether this transaction's commit waits until PostgreSQL has its record on disk.

    An event that only stores the phone system's own record of a call (the call and
    the event) does not wait: the wait was a third of an event's time (4 ms at the
    median, 14 at p95 here). What it risks is small and bounded: when the database
    server itself crashes, the events of its last half second or so are lost as if
    they had never come (never half: PostgreSQL stays consistent), and the call's
    next event fills the call in again. An event that changes more (a missed call's
    case and callback, the duration of a logged call) waits, as every other write of
    the helpdesk does. ``SET LOCAL`` holds for this transaction only; other
    databases keep their own setting.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL synchronous_commit TO {'ON' if wait else 'OFF'}")


def stored_answer(*, call: Call, kind: str) -> dict | None:
    """What the phone system was answered when this event of the call was stored (None: new).

    Read with the lock (``call_locked``) where the call came from there."""
    if hasattr(call, "stored_answer"):
        return call.stored_answer
    return CallEvent.objects.filter(call=call, kind=kind).values_list("answer", flat=True).first()


# No savepoint of its own: it runs inside the receiving transaction, and a failure undoes that
# whole transaction anyway (two round trips fewer for every event).
@transaction.atomic(savepoint=False)
def call_event_apply(
    *,
    system: PhoneSystem,
    event: CallEventData,
    payload: dict,
    call: Call | None,
    now: dt.datetime | None = None,
    blocked: frozenset[str] | None = None,
) -> Applied:
    """Store one event of a call and bring the call up to date with it.

    ``call`` is the row from ``call_locked`` (None when this is the call's first
    event): a repeat of a stored event is answered as the first time and changes
    nothing. ``blocked``: the blocked numbers the post was checked with (None: read
    them, ``telephony.known``). The first event inserts the row already filled in; when another
    request inserted the same call at that moment, the insert raises
    ``IntegrityError`` and the caller tries again, then finding the row.
    """
    now = now or timezone.now()
    at = event.occurred_at or now
    created = call is None
    if call is None:
        call = Call(
            system=system,
            call_id=event.call_id,
            started_at=at,
            direction=event.direction or CallDirection.INBOUND,
        )
    elif (stored := stored_answer(call=call, kind=event.kind)) is not None:
        return Applied(call=call, answer=stored, new=False)

    _fill_parties(call, event, first=created)
    if event.kind == NEW_CALL:
        call.started_at = min(call.started_at, at)
    elif event.kind == ANSWER:
        call.answered_at = call.answered_at or min(at, call.ended_at or at)
        call.answering_number = event.answering_number or call.answering_number
        call.answered_by = staff_for_answer(call.answering_number, call.users) or call.answered_by
    ended_now = False
    if event.kind == HANGUP and call.ended_at is None:
        ended_now = True
        call.ended_at = max(at, call.started_at)
        call.cause = event.cause or ("normalClearing" if call.answered_at else "noAnswer")
    call.inside_phone_hours = phone_hours().is_open(call.started_at)
    # Missed from the moment it ended (the caller log shows it at once); its follow-up is
    # the worker's (telephony.missed).
    call.missed = call.missed or (ended_now and call_is_missed(call))
    call.save(force_insert=created)
    answer = _answer_for(event, call, blocked)
    CallEvent.objects.create(
        call=call,
        system=system,
        kind=event.kind,
        occurred_at=at,
        received_at=now,
        answer=answer,
        payload=payload,
    )
    ringing_changed()  # the pop-up's cached key (see telephony.ringing)
    if ended_now and call.phone_call_id is not None:
        # Logged while talking: the duration now comes from the events.
        PhoneCall.objects.filter(pk=call.phone_call_id).update(duration=call.duration)
    return Applied(call=call, answer=answer, new=True, ended_now=ended_now)


def call_is_missed(call: Call) -> bool:
    """An incoming call that ended unanswered: busy, not answered, the caller gave up, or
    any unanswered call outside phone hours (a forwarded call was taken elsewhere)."""
    if call.direction != CallDirection.INBOUND or call.answered_at is not None:
        return False
    if call.ended_at is None or call.cause == "forwarded":
        return False
    return call.cause in MISSED_CAUSES or not call.inside_phone_hours


def events_in_last_minute(*, system: PhoneSystem, now: dt.datetime) -> int:
    """How many events the phone system posted in the minute up to ``now`` (indexed count)."""
    return CallEvent.objects.filter(
        system=system, received_at__gt=now - dt.timedelta(minutes=1)
    ).count()


def answered_details(call: Call, *, notes: str) -> CallDetails:
    """The phone system's answered ``call`` as the timeline takes it (duration from the events)."""
    return CallDetails(
        number=call.number,
        started_at=call.started_at,
        duration=call.duration,
        outcome=CallOutcome.ANSWERED,
        direction=call.direction,
        notes=notes,
    )


def answered_by_words(call: Call) -> str:
    """Who took the call, as a timeline line names them: the staff member, else the extension."""
    if call.answered_by is not None:
        return call.answered_by.get_full_name() or call.answered_by.get_username()
    return call.answering_number or _("someone not known to the helpdesk")
