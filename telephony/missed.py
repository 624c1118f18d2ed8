"""A missed call becomes a callback: the helpdesk's promise to call back within phone hours.

An incoming call that ended unanswered (busy, not answered, the caller gave up,
or any call outside phone hours) from a number that can be called back:

* joins the callback already open for that number, if there is one (three
  missed calls before the callback is made are one callback, not three);
* otherwise goes on a new "missed call" case of the matched contact (or of
  nobody yet) and books a callback at the first free slot in phone hours, as
  the log-a-call screen does.

Either way the missed call is on that case's timeline. An anonymous caller is
only logged as missed: there is no one to call back. A manager can switch the
booking off per phone system.

The hangup only marks the call missed (``missed_call_record``): the caller log and
the pop-up show it at once, and the phone system gets its answer quickly. The
case and the callback are made by the worker within seconds, after the event's
commit (``missed_call_follow_up``, queued through django-q): the call is locked
and followed up only while it still waits (``waiting_for_follow_up``), so a
second run books nothing and an answer that came in between leaves nothing to
book. A follow-up that could not be queued is made by the five-minute job.

Events may come out of order: an ``answer`` that arrives after the ``hangup``
shows a call taken for missed was answered after all
(``missed_call_answered_after_all``). The end state is then the one the events
in order give: not missed, no callback to make (it is cancelled with a note on
its case, unless other missed calls still wait on it), and the call on the
timeline as answered, where the missed call was.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CallDirection, CallOutcome, Channel, Contact, PhoneCall
from cases.phones import display
from cases.services import CallDetails, call_log, case_open, note_add
from periodic.queue import enqueue
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.changes import callback_cancel
from scheduling.callbacks.errors import CallbackError
from scheduling.models import CallbackState
from telephony.models import Call
from telephony.selectors import open_callback_for_number
from telephony.services import answered_by_words, answered_details

log = logging.getLogger(__name__)


#: A missed call whose follow-up was not queued (the broker was down) is followed up by the
#: five-minute job once it has waited this long (``missed_calls_follow_up_waiting``).
FOLLOW_UP_LATE_AFTER = dt.timedelta(minutes=2)
#: Missed calls that ended longer ago are left alone (the helpdesk was not running, say).
FOLLOW_UP_LOOK_BACK = dt.timedelta(days=7)
#: The first key of the follow-ups' transaction locks per number (``_number_locked``).
NUMBER_LOCKS = 11


def missed_call_record(*, call: Call) -> Call:
    """``call`` was just stored as missed (``telephony.services.call_event_apply``: the caller
    log and the pop-up show it at once): queue its follow-up for the worker once the event's
    transaction commits.

    The rule: the phone system's event is answered quickly and the callback is booked
    within seconds by the worker (``missed_call_follow_up``), not in the event's request:
    opening a case and finding a free slot cost four times the event's own work. Only a
    call that can be called back, from a phone system that books callbacks, is queued.
    """
    if waiting_for_follow_up(call):
        pk = call.pk
        transaction.on_commit(lambda: _queue(pk), robust=True)
    return call


def _queue(call_pk: int) -> None:
    """Hand the follow-up to the worker; if the broker cannot be reached, the five-minute job
    follows the call up (``missed_calls_follow_up_waiting``)."""
    try:
        enqueue(
            missed_call_follow_up_task,
            call_pk=call_pk,
            group="missed-calls",
        )
    except Exception:
        log.exception("Could not queue the follow-up of missed call %s; the job will", call_pk)


def waiting_for_follow_up(call: Call) -> bool:
    """Whether ``call`` still waits for its follow-up: missed, from a number that can be called
    back, not on a case or a callback yet, and its phone system books callbacks.

    An answer that came after the hangup made it not missed (nothing to book); a
    follow-up that ran already put it on a case (nothing to book again)."""
    return bool(
        call.missed
        and call.number
        and call.phone_call_id is None
        and call.callback_id is None
        and call.system.book_missed_callbacks
    )


@transaction.atomic
def missed_call_follow_up(*, call_pk: int, now: dt.datetime) -> Call | None:
    """The worker's part: put missed call ``call_pk`` in the callback queue, if it still waits.

    The call is locked, so an answer arriving at that moment, or a second run of the
    task, waits and then finds it followed up (or not missed): it books once, or not
    at all. It joins the callback already open for the number, if there is one;
    otherwise it goes on a new "missed call" case of the matched contact (or of nobody
    yet) and books a callback at the first free slot from ``now``. Either way the
    missed call is on that case's timeline. None: the call is gone (anonymised).
    """
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("system")
        .filter(pk=call_pk)
        .first()
    )
    if call is None or not waiting_for_follow_up(call):
        return call
    _number_locked(call.number)
    callback = open_callback_for_number(call.number)
    if callback is not None:
        case = callback.case
    else:
        _caller_read(call)
        case = case_open(
            subject=_("Missed call from %(number)s") % {"number": display(call.number)},
            channel=Channel.PHONE,
            actor=None,
            organisation=call.organisation,
            contact=call.contact,
            created_at=call.started_at,
        )
    call.phone_call = call_log(
        case=case,
        actor=None,
        call=CallDetails(
            number=call.number,
            started_at=call.started_at,
            outcome=CallOutcome.NO_ANSWER,
            direction=CallDirection.INBOUND,
            notes=_("Missed call, logged by the phone system (%(cause)s).")
            % {"cause": call.get_cause_display().lower()},
        ),
    )
    if callback is None:
        try:
            with transaction.atomic():
                callback = callback_schedule(case=case, number=call.number, actor=None, now=now)
        except CallbackError as exc:
            # No free slot (capacity 0, or every slot full): the case says so, so the
            # missed call is not lost, and staff call back by hand.
            note_add(
                case=case,
                author=None,
                body=_("No callback could be booked for this missed call: %(reason)s")
                % {"reason": exc.message},
            )
    call.callback = callback
    call.save(update_fields=["phone_call", "callback"])
    return call


def _number_locked(number: str) -> None:
    """No other follow-up of a call from ``number`` runs until this transaction ends, so the
    second of two missed calls from one number, followed up at the same moment by two
    workers, finds the callback the first booked and joins it (PostgreSQL's transaction
    lock; SQLite has one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [NUMBER_LOCKS, number])


def missed_calls_follow_up_waiting(*, now: dt.datetime) -> int:
    """Follow up the missed calls whose queued follow-up never ran (``FOLLOW_UP_LATE_AFTER``)."""
    waiting = Call.objects.filter(
        missed=True,
        phone_call__isnull=True,
        callback__isnull=True,
        system__book_missed_callbacks=True,
        ended_at__lte=now - FOLLOW_UP_LATE_AFTER,
        ended_at__gte=now - FOLLOW_UP_LOOK_BACK,
    ).exclude(number="")
    done = 0
    for pk in waiting.order_by("ended_at", "pk").values_list("pk", flat=True)[:200]:
        call = missed_call_follow_up(call_pk=pk, now=now)
        done += call is not None and call.phone_call_id is not None
    return done


def _caller_read(call: Call) -> None:
    """The call's contact and organisation for a new case, in one query where they belong
    together (the number match gives a contact with its own organisation)."""
    if call.contact_id is None:
        return
    contact = Contact.objects.select_related("organisation").get(pk=call.contact_id)
    call.contact = contact
    if contact.organisation_id == call.organisation_id:
        call.organisation = contact.organisation


@transaction.atomic
def missed_call_answered_after_all(*, call: Call, now: dt.datetime) -> Call:
    """``call`` was followed up as missed, then its answer came: undo the follow-up.

    Its callback is cancelled (a note on the case says why) unless another missed
    call from the number still waits on it; the missed call on the timeline
    becomes the answered call, with who took it and how long it lasted.
    """
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("phone_call__case", "callback__case", "answered_by")
        .get(pk=call.pk)
    )
    if not call.missed:
        return call
    missed_record, callback = call.phone_call, call.callback
    case = missed_record.case if missed_record is not None else None
    said = _("The call from %(number)s at %(time)s was answered after all (by %(name)s).") % {
        "number": display(call.number) if call.number else _("an anonymous caller"),
        "time": timezone.localtime(call.started_at).strftime("%H:%M"),
        "name": answered_by_words(call),
    }
    if callback is not None:
        case = case or callback.case
        waiting = callback.telephony_calls.filter(missed=True).exclude(pk=call.pk).exists()
        if waiting:
            said += " " + _("The callback stays: other missed calls from this number wait on it.")
        elif callback.state == CallbackState.SCHEDULED:
            callback_cancel(callback=callback, now=now)
            said += " " + _("The callback booked for it is cancelled.")
        elif callback.state in CallbackState.open():
            said += " " + _("The callback is being made already; it is no longer needed.")
    # The phone system's own "missed call" line was wrong: the answered call takes its place.
    # A line a person logged stays, with the duration the events measured.
    automatic = missed_record is not None and missed_record.logged_by_id is None
    call.missed, call.callback = False, None
    if automatic:
        call.phone_call = None
    call.save(update_fields=["missed", "callback", "phone_call"])
    if automatic:
        PhoneCall.objects.filter(pk=missed_record.pk).delete()
    elif missed_record is not None:
        PhoneCall.objects.filter(pk=missed_record.pk).update(duration=call.duration)
    if case is not None:
        if call.phone_call is None:
            call.phone_call = call_log(
                case=case,
                actor=None,
                call=answered_details(call, notes=_("Logged by the phone system.") + " " + said),
            )
            call.save(update_fields=["phone_call"])
        note_add(case=case, author=None, body=said, at=now)
    return call


def missed_call_follow_up_task(*, call_pk: int) -> str:
    """The queued task of a hangup that made a call missed: its case and callback
    (``missed_call_follow_up``), from the first free slot after now; says what it did."""
    call = missed_call_follow_up(call_pk=call_pk, now=timezone.now())
    if call is None:
        return f"missed call {call_pk}: gone"
    if call.callback_id is not None:
        return f"missed call {call_pk}: callback {call.callback_id}"
    return f"missed call {call_pk}: nothing to book"
