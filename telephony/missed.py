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

Events may come out of order: an ``answer`` that arrives after the ``hangup``
shows a call taken for missed was answered after all
(``missed_call_answered_after_all``). The end state is then the one the events
in order give: not missed, no callback to make (it is cancelled with a note on
its case, unless other missed calls still wait on it), and the call on the
timeline as answered, where the missed call was.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CallDirection, CallOutcome, Channel, Contact, PhoneCall
from cases.phones import display
from cases.services import CallDetails, call_log, case_open, note_add
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.changes import callback_cancel
from scheduling.callbacks.errors import CallbackError
from scheduling.models import CallbackState
from telephony.models import Call
from telephony.selectors import open_callback_for_number
from telephony.services import answered_by_words, answered_details


# No savepoint of its own: it runs inside the receiving transaction, and a failure undoes that
# whole transaction anyway.
@transaction.atomic(savepoint=False)
def missed_call_follow_up(*, call: Call, now: dt.datetime) -> Call:
    """Mark ``call`` missed and, where it can be called back, put it in the callback queue."""
    call.missed = True
    if call.number and call.system.book_missed_callbacks and call.phone_call_id is None:
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
    call.save(update_fields=["missed", "phone_call", "callback"])
    return call


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
