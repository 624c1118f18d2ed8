"""Background tasks of telephony (django-q)."""

from __future__ import annotations

from django.utils import timezone

# The hangup queues this one itself (``telephony.missed``); it is here with the other tasks.
from telephony.missed import missed_call_follow_up_task as missed_call_follow_up
from telephony.missed import missed_calls_follow_up_waiting
from telephony.unlogged import unlogged_calls_log as log_unlogged

__all__ = ["missed_call_follow_up", "unlogged_calls_log"]


def unlogged_calls_log() -> str:
    """Every five minutes: answered calls nobody logged onto their case (``telephony.unlogged``),
    and missed calls whose queued follow-up never ran (``telephony.missed``)."""
    now = timezone.now()
    logged = log_unlogged(now=now)
    missed = missed_calls_follow_up_waiting(now=now)
    return f"{logged} answered calls logged by the phone system, {missed} missed calls followed up"
