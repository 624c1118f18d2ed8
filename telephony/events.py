"""The one path from a phone system's post to the helpdesk: store the event, follow it up.

``cti_event_receive`` is called by both endpoints (Zammad's format and Voys's)
once the post is authenticated and read. ``call_log_from_event`` is the
log-a-call form opened from the pop-up: it logs the call on a case and joins it
to the phone system's call, so one call is never logged twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import PhoneCall
from cases.services import CallDetails
from scheduling.callbacks.calls import call_take
from telephony.missed import missed_call_answered_after_all, missed_call_record
from telephony.models import Call, PhoneSystem
from telephony.payloads import ANSWER, CallEventData
from telephony.services import (
    call_event_apply,
    call_is_missed,
    call_locked,
    commit_waits_for_disk,
    events_in_last_minute,
    stored_answer,
)


class TooManyEvents(Exception):
    """The phone system posted more events in the last minute than it may."""


class AlreadyLogged(Exception):
    """The call is already on a case; the message says which."""


def cti_event_receive(
    *,
    system: PhoneSystem,
    event: CallEventData,
    payload: dict[str, Any],
    now: dt.datetime,
    blocked: frozenset[str] | None = None,
) -> dict:
    """Apply one event and answer the phone system ({} or the reject).

    An ``answer`` after the ``hangup`` undoes a missed call's follow-up, so the end
    state does not depend on the order of arrival. A repeat of a stored event is
    answered as the first time, before the storm limit is counted, so a bridge that
    retries always gets the same answer. A new event beyond
    ``TELEPHONY_EVENTS_PER_MINUTE`` raises ``TooManyEvents`` and stores nothing.
    ``blocked``: the blocked numbers as the post was checked with (``telephony.known``);
    None reads them.
    """
    try:
        return _receive(system=system, event=event, payload=payload, now=now, blocked=blocked)
    except IntegrityError:
        # The first events of one call, posted at the same moment: the other request stored
        # the call first (its insert won). Once more, now finding the call it stored.
        return _receive(system=system, event=event, payload=payload, now=now, blocked=blocked)


@transaction.atomic
def _receive(
    *,
    system: PhoneSystem,
    event: CallEventData,
    payload: dict[str, Any],
    now: dt.datetime,
    blocked: frozenset[str] | None,
) -> dict:
    call = call_locked(system=system, call_id=event.call_id, kind=event.kind, now=now)
    if call is not None and (stored := stored_answer(call=call, kind=event.kind)) is not None:
        return stored
    # An answer or a hangup read the count with its lock; a newCall reads it now.
    if call is not None and hasattr(call, "recent_events"):
        recent = call.recent_events or 0  # no events in the minute: no row, so NULL
    else:
        recent = events_in_last_minute(system=system, now=now)
    if recent >= settings.TELEPHONY_EVENTS_PER_MINUTE:
        raise TooManyEvents
    applied = call_event_apply(
        system=system, event=event, payload=payload, call=call, now=now, blocked=blocked
    )
    if applied.ended_now and call_is_missed(applied.call):
        # Marked missed now; its case and callback are the worker's, after the commit.
        missed_call_record(call=applied.call)
    elif applied.new and event.kind == ANSWER and applied.call.missed:
        # The answer came after the hangup: the call was not missed after all. Either
        # order of arrival ends the same way (telephony.missed).
        missed_call_answered_after_all(call=applied.call, now=now)
    elif not (applied.ended_now and applied.call.phone_call_id is not None):
        # Only the phone system's own record of the call changed (no case, no callback, no
        # logged call's duration): its commit need not wait for the disk.
        commit_waits_for_disk(False)
    return applied.answer


@transaction.atomic
def call_log_from_event(*, call: Call, actor: AbstractBaseUser, take: dict[str, Any]) -> PhoneCall:
    """Log the phone system's ``call`` through the log-a-call flow, joined to it.

    ``take`` is what the form gives ``call_take``. When the call has ended, its
    duration is the one the events measured; while it goes on, the form's, until
    the hangup replaces it. A call already logged (by a colleague, or as missed)
    raises ``AlreadyLogged`` instead of being logged a second time.
    """
    locked = (
        Call.objects.select_for_update(of=("self",))
        .select_related("phone_call__case")
        .get(pk=call.pk)
    )
    if locked.phone_call is not None:
        raise AlreadyLogged(
            _("This call is already logged on case %(reference)s.")
            % {"reference": locked.phone_call.case.reference}
        )
    details: CallDetails = take["call"]
    if locked.ended_at is not None:
        details = CallDetails(
            number=details.number,
            started_at=details.started_at,
            duration=locked.duration,
            notes=details.notes,
            outcome=details.outcome,
            direction=details.direction,
        )
    record = call_take(actor=actor, **{**take, "call": details})
    locked.phone_call = record
    locked.save(update_fields=["phone_call"])
    return record
