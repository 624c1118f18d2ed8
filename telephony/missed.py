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
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import CallDirection, CallOutcome, Channel
from cases.phones import display
from cases.services import CallDetails, call_log, case_open, note_add
from scheduling.callbacks.booking import callback_schedule
from scheduling.callbacks.errors import CallbackError
from telephony.models import Call
from telephony.selectors import open_callback_for_number


@transaction.atomic
def missed_call_follow_up(*, call: Call, now: dt.datetime) -> Call:
    """Mark ``call`` missed and, where it can be called back, put it in the callback queue."""
    call.missed = True
    if call.number and call.system.book_missed_callbacks and call.phone_call_id is None:
        callback = open_callback_for_number(call.number)
        if callback is not None:
            case = callback.case
        else:
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
