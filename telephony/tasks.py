"""Background tasks of telephony (django-q)."""

from __future__ import annotations

from django.utils import timezone

from telephony.missed import missed_call_follow_up as follow_up
from telephony.missed import missed_calls_follow_up_waiting
from telephony.unlogged import unlogged_calls_log as log_unlogged


def unlogged_calls_log() -> str:
    """Every five minutes: answered calls nobody logged onto their case (``telephony.unlogged``),
    and missed calls whose queued follow-up never ran (``telephony.missed``)."""
    now = timezone.now()
    logged = log_unlogged(now=now)
    missed = missed_calls_follow_up_waiting(now=now)
    return f"{logged} answered calls logged by the phone system, {missed} missed calls followed up"


def missed_call_follow_up(*, call_pk: int) -> str:
    """Queued by a hangup that made a call missed: its case and callback (``telephony.missed``),
    from the first free slot after now."""
    call = follow_up(call_pk=call_pk, now=timezone.now())
    if call is None:
        return f"missed call {call_pk}: gone"
    if call.callback_id is not None:
        return f"missed call {call_pk}: callback {call.callback_id}"
    return f"missed call {call_pk}: nothing to book"
