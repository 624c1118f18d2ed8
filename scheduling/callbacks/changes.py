"""A caller changing their own callback: moving it to another free slot, or cancelling it.

Both take the callback's row lock first, so a staff member claiming it at the
same moment either wins (and the caller is told it can no longer change) or
waits. Moving then locks the new slot's phone day, as booking does, so the
capacity of the new slot is never exceeded. A cancelled callback no longer
holds a place (``CallbackState.open``), so its slot is free again at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from calendars.configured import phone_hours
from scheduling.callbacks.booking import _requested_slot
from scheduling.callbacks.errors import CallbackError, aware_or_now
from scheduling.models.callbacks import Callback, CallbackState


def _locked_scheduled(callback: Callback) -> Callback:
    current = Callback.objects.select_for_update().get(pk=callback.pk)
    if current.state != CallbackState.SCHEDULED:
        raise CallbackError(
            _("This callback is %(state)s and can no longer be changed.")
            % {"state": current.get_state_display().lower()}
        )
    return current


@transaction.atomic
def callback_move(
    *, callback: Callback, requested_at: dt.datetime, now: dt.datetime | None = None
) -> Callback:
    """Move a scheduled callback to the slot holding ``requested_at``, if that slot has room.

    The caller chose the new time, so it becomes the promise the reports measure
    against. A full or closed slot raises ``SlotUnavailable`` with the next free
    ones; the callback then stays where it was.
    """
    now = aware_or_now(now, _("current time"))
    requested_at = aware_or_now(requested_at, _("time asked for"))
    current = _locked_scheduled(callback)
    slot = _requested_slot(calendar=phone_hours(), requested_at=requested_at, now=now)
    if slot == current.slot_start:
        return current
    end = slot + dt.timedelta(minutes=current.slot_minutes)
    current.slot_start = slot
    current.promised_slot_start = slot
    current.promised_slot_end = end
    current.requested_at = requested_at
    current.requested_by_caller = True
    current.save(
        update_fields=[
            "slot_start",
            "promised_slot_start",
            "promised_slot_end",
            "requested_at",
            "requested_by_caller",
        ]
    )
    return current


@transaction.atomic
def callback_cancel(*, callback: Callback, now: dt.datetime | None = None) -> Callback:
    """Cancel a scheduled callback; its place in the slot is free for the next booking at once."""
    now = aware_or_now(now, _("current time"))
    current = _locked_scheduled(callback)
    current.state = CallbackState.CANCELLED
    current.completed_at = now
    current.save(update_fields=["state", "completed_at"])
    return current
