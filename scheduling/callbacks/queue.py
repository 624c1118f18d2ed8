"""Working the callback queue: claiming a callback and recording how the attempt went.

Claiming a callback of an unassigned case assigns the case to the claimer. A
callback without answer is tried again no sooner than ``CALLBACK_RETRY_MINUTES``
later (default 60) on the same phone day, else at the next phone day's first
free slot, so the three tries are spread over time instead of used up in the
slot that is running.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from calendars.configured import phone_hours
from cases.models import CallDirection, CallOutcome, Case, ChangeCause, Priority, Status
from cases.services import CallDetails, call_log, case_update, note_add
from scheduling.callbacks.booking import first_free_slot
from scheduling.callbacks.errors import (
    AlreadyClaimed,
    CallbackError,
    CallbackOutcome,
    aware_or_now,
)
from scheduling.callbacks.slots import (
    MAX_ATTEMPTS,
    attempts_exhausted,
)
from scheduling.models.callbacks import (
    Callback,
    CallbackState,
)

# --- Working the queue ------------------------------------------------------------------


@transaction.atomic
def callback_claim(
    *, callback: Callback, actor: AbstractBaseUser, now: dt.datetime | None = None
) -> Callback:
    """Lock the callback to ``actor``; anyone else claiming it gets ``AlreadyClaimed``.

    One conditional UPDATE decides: only a scheduled, unclaimed row changes,
    so of two people claiming at once exactly one succeeds.
    """
    now = aware_or_now(now, _("current time"))
    won = Callback.objects.filter(
        pk=callback.pk, claimed_by__isnull=True, state=CallbackState.SCHEDULED
    ).update(claimed_by=actor, claimed_at=now, state=CallbackState.IN_PROGRESS)
    current = Callback.objects.select_related("claimed_by").get(pk=callback.pk)
    mine = current.state == CallbackState.IN_PROGRESS and current.claimed_by_id == actor.pk
    if won != 1 and not mine:
        if current.state == CallbackState.IN_PROGRESS and current.claimed_by_id is not None:
            who = current.claimed_by.get_full_name() or current.claimed_by.get_username()
            raise AlreadyClaimed(_("%(name)s is already making this callback.") % {"name": who})
        raise CallbackError(
            _("This callback is %(state)s and can no longer be claimed.")
            % {"state": current.get_state_display().lower()}
        )
    for name in ("claimed_by_id", "claimed_at", "state"):
        setattr(callback, name, getattr(current, name))
    if won == 1:
        # Whoever calls back takes the case on, unless someone already has it.
        case = Case.objects.select_for_update().get(pk=current.case_id)
        if case.assignee_id is None and case.status in Status.active():
            case_update(case=case, actor=actor, assignee=actor, at=now)
    return callback


def next_try_not_before(now: dt.datetime) -> dt.datetime:
    """The earliest moment of the next try after no answer: ``CALLBACK_RETRY_MINUTES`` on.

    The phone calendar's next opening from there is the next try: later the same
    phone day when that is still open, else the next phone day's first slot.
    """
    return now + dt.timedelta(minutes=settings.CALLBACK_RETRY_MINUTES)


@dataclass(frozen=True)
class OutcomeResult:
    callback: Callback
    #: Where a callback without answer went (None when it did not move).
    moved_to: dt.datetime | None = None
    #: True when the attempts ran out: the caller should be emailed instead.
    gave_up: bool = False


@transaction.atomic
def callback_record_outcome(
    *,
    callback: Callback,
    actor: AbstractBaseUser,
    outcome: str,
    notes: str = "",
    resolve_case: bool = False,
    now: dt.datetime | None = None,
) -> OutcomeResult:
    """Record how a callback went; every attempt is an outgoing call on the case's timeline.

    * reached: done; the case is resolved when asked, else it stays open;
    * no answer: one more attempt; moved to the next free slot, or, after
      ``MAX_ATTEMPTS``, ended and the case flagged (a note, and urgent) so the
      caller is emailed instead;
    * wrong number: cancelled, with a note on the case.
    """
    now = aware_or_now(now, _("current time"))
    if outcome not in CallbackOutcome.values:
        raise CallbackError(_("Choose how the callback went."))
    current = Callback.objects.select_for_update().select_related("case").get(pk=callback.pk)
    if not current.is_open:
        raise CallbackError(
            _("This callback is already %(state)s.")
            % {"state": current.get_state_display().lower()}
        )
    if current.claimed_by_id not in (None, actor.pk):
        raise AlreadyClaimed(_("Someone else is making this callback."))
    case = current.case
    notes = notes.strip()
    moved_to: dt.datetime | None = None
    gave_up = False

    def log(call_outcome: str) -> None:
        call_log(
            case=case,
            actor=actor,
            call=CallDetails(
                number=current.number,
                started_at=now,
                notes=notes,
                outcome=call_outcome,
                direction=CallDirection.OUTBOUND,
            ),
        )

    current.claimed_by = actor
    current.claimed_at = current.claimed_at or now
    if notes:
        current.outcome_notes = "\n".join(filter(None, [current.outcome_notes, notes]))
    if outcome == CallbackOutcome.REACHED:
        log(CallOutcome.ANSWERED)
        current.state = CallbackState.DONE
        current.completed_at = now
        if resolve_case and case.status in Status.active():
            case_update(case=case, actor=actor, status=Status.RESOLVED, at=now)
    elif outcome == CallbackOutcome.NO_ANSWER:
        log(CallOutcome.NO_ANSWER)
        current.attempts += 1
        if attempts_exhausted(current.attempts):
            # The case is flagged: a note says why, and it becomes urgent so the
            # email to the caller is answered within the urgent target.
            gave_up = True
            current.state = CallbackState.NO_ANSWER
            if case.priority != Priority.URGENT and case.status in Status.active():
                case_update(
                    case=case,
                    actor=actor,
                    priority=Priority.URGENT,
                    at=now,
                    cause=ChangeCause.CALLBACK,
                )
            current.completed_at = now
            note_add(
                case=case,
                author=actor,
                body=_(
                    "Callback to %(number)s: no answer after %(attempts)d attempts. "
                    "Email the caller instead."
                )
                % {"number": current.number, "attempts": MAX_ATTEMPTS},
            )
        else:
            calendar = phone_hours()
            moved_to = first_free_slot(
                calendar=calendar,
                not_before=calendar.next_open(next_try_not_before(now)),
                exclude_pk=current.pk,
            )
            current.slot_start = moved_to
            current.state = CallbackState.SCHEDULED
            current.claimed_by = None
            current.claimed_at = None
    else:
        log(CallOutcome.WRONG_NUMBER)
        current.state = CallbackState.CANCELLED
        current.completed_at = now
        note_add(
            case=case,
            author=actor,
            body=_("Callback cancelled: %(number)s is a wrong number.") % {"number": current.number}
            + (f"\n{notes}" if notes else ""),
        )
    current.save()
    return OutcomeResult(callback=current, moved_to=moved_to, gave_up=gave_up)
