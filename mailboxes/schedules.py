"""The every-minute schedule that polls the active mailboxes (django-q), made idempotently."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

POLL_SCHEDULE_NAME = "mailboxes-poll"
POLL_TASK = "mailboxes.tasks.mailboxes_poll"


def poll_schedule_ensure(*, minutes: int = 1, schedule_model: type | None = None) -> Any:
    """Create or update the poll schedule (found by name); ``schedule_model`` is for migrations."""
    model = schedule_model or Schedule
    schedule, _created = model.objects.update_or_create(
        name=POLL_SCHEDULE_NAME,
        defaults={
            "func": POLL_TASK,
            "schedule_type": "I",  # every `minutes`
            "minutes": minutes,
            "repeats": -1,
        },
    )
    return schedule
