"""An answered call that nobody logged goes on the timeline of the case it belongs to.

Staff log a call from the pop-up while or just after talking; the form joins the
phone system's call (``telephony.events.call_log_from_event``), so it is never
logged twice. A call that was answered and is still on no case ``UNLOGGED_AFTER``
after its end is logged by the phone system, with direction, number, start,
duration and who answered:

* on the open case of the matched contact opened last;
* else on a new phone case "Call from …" of the contact or organisation matched
  (or of nobody yet).

It runs every few minutes (``telephony.tasks``). Each call is taken with a row
lock and only while it is on no case, so a colleague saving the form at that
moment, or a second worker, never logs it again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, Channel, Status
from cases.phones import display
from cases.services import call_log, case_open
from telephony.models import Call
from telephony.services import answered_by_words, answered_details

#: How long staff have to log an answered call themselves before the phone system does.
UNLOGGED_AFTER = dt.timedelta(minutes=15)
#: Calls that ended longer ago are left alone (the helpdesk was not running, say).
LOOK_BACK = dt.timedelta(days=7)
#: At most this many calls a run; the next run takes the rest.
BATCH = 200


def case_for_unlogged(call: Call) -> Case:
    """The case an answered call belongs to: the contact's open case opened last, else a new one."""
    if call.contact is not None:
        case = (
            Case.objects.filter(contact=call.contact, status__in=Status.active())
            .order_by("-created_at", "-pk")
            .first()
        )
        if case is not None:
            return case
    caller = display(call.number) if call.number else _("an anonymous caller")
    return case_open(
        subject=_("Call from %(caller)s") % {"caller": caller},
        channel=Channel.PHONE,
        actor=None,
        organisation=call.organisation,
        contact=call.contact,
        created_at=call.started_at,
    )


@transaction.atomic
def unlogged_calls_log(*, now: dt.datetime) -> int:
    """Log every answered call that ended ``UNLOGGED_AFTER`` ago and is on no case yet."""
    due = (
        Call.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            phone_call__isnull=True,
            missed=False,
            answered_at__isnull=False,
            ended_at__lte=now - UNLOGGED_AFTER,
            ended_at__gte=now - LOOK_BACK,
        )
        .select_related("contact", "organisation", "answered_by")
        .order_by("ended_at", "pk")[:BATCH]
    )
    logged = 0
    for call in due:
        call.phone_call = call_log(
            case=case_for_unlogged(call),
            actor=None,
            call=answered_details(
                call,
                notes=_("Answered by %(name)s; nobody logged it, so the phone system did.")
                % {"name": answered_by_words(call)},
            ),
        )
        call.save(update_fields=["phone_call"])
        logged += 1
    return logged
