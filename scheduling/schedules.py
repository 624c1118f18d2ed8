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
    """Create or update the schedule called ``name``; returns it.

    ``schedule_model`` lets a migration pass its historical model.
    """
    if schedule_model is None:
        schedule_model = Schedule
    schedule, _created = schedule_model.objects.update_or_create(
        name=name,
        defaults={
            "func": func,
            "schedule_type": "C",
            "cron": cron,
            "repeats": -1,
            "next_run": cron_next_run(cron, now or timezone.now()),
        },
    )
    return schedule


#: Just after midnight, Dutch time: statuses that ended yesterday or start today.
PSO_NOW_SCHEDULE_NAME = "PSO status roll-over"
PSO_NOW_TASK = "cases.tasks.pso_now_roll_over"
PSO_NOW_CRON = "1 0 * * *"


def pso_now_schedule_ensure(*, schedule_model: type | None = None) -> Any:
    """Create or update the daily roll-over of the kept PSO status (one row, by name).

    Lists are right without it (``cases.selectors.current_pso_annotations``); the
    roll-over keeps them on the fast path after a status ends or starts.
    """
    return cron_schedule_ensure(
        name=PSO_NOW_SCHEDULE_NAME,
        func=PSO_NOW_TASK,
        cron=PSO_NOW_CRON,
        schedule_model=schedule_model,
    )
