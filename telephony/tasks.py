"""Background tasks of telephony (django-q)."""

from __future__ import annotations

from django.utils import timezone

from telephony.unlogged import unlogged_calls_log as log_unlogged


def unlogged_calls_log() -> str:
    """Every five minutes: answered calls nobody logged onto their case (``telephony.unlogged``)."""
    return f"{log_unlogged(now=timezone.now())} answered calls logged by the phone system"
