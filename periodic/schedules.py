"""The helpdesk's periodic jobs as django-q schedules, created idempotently.

Each job is one ``Schedule`` row found by its name, so running the creation
again (a migration, ``callbacks_morning --install-schedule``) updates it instead
of adding a second one. The cron expressions are Dutch wall-clock times:
``Q_CLUSTER["time_zone"]`` makes django-q follow the DST switches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from croniter import croniter
from django.utils import timezone
from django_q.models import Schedule


def cron_next_run(cron: str, now: dt.datetime) -> dt.datetime:
    """The first time after ``now`` that ``cron`` names, in Dutch wall-clock time."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    return croniter(cron, local).get_next(dt.datetime)


def cron_schedule_ensure(
    *,
    name: str,
    func: str,
    cron: str,
    now: dt.datetime | None = None,
    schedule_model: type | None = None,
) -> Any:
    """Create or update the schedule called ``name`` to run ``func`` at ``cron``; returns it.

    ``schedule_model`` lets a migration pass its historical model.
    """
    return _schedule_ensure(
        name=name,
        schedule_model=schedule_model,
        func=func,
        schedule_type="C",
        cron=cron,
        next_run=cron_next_run(cron, now or timezone.now()),
    )


def interval_schedule_ensure(
    *, name: str, func: str, minutes: int, schedule_model: type | None = None
) -> Any:
    """Create or update the schedule called ``name`` to run ``func`` every ``minutes``."""
    return _schedule_ensure(
        name=name, schedule_model=schedule_model, func=func, schedule_type="I", minutes=minutes
    )


def _schedule_ensure(*, name: str, schedule_model: type | None, **fields: Any) -> Any:
    model = Schedule if schedule_model is None else schedule_model
    schedule, _created = model.objects.update_or_create(
        name=name, defaults={**fields, "repeats": -1}
    )
    return schedule
