"""Workload figures: when calls come in outside phone hours, and how many cases stay open."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from cases.models import CallDirection, Case, PhoneCall
from scheduling.reports.scope import ReportScope
from scheduling.reports.sql import UtcHour


@dataclass
class Heatmap:
    """Counts per ISO weekday (1 = Monday) and hour of the day."""

    cells: dict[tuple[int, int], int] = field(default_factory=dict)

    def count(self, weekday: int, hour: int) -> int:
        return self.cells.get((weekday, hour), 0)


def out_of_hours_calls(scope: ReportScope) -> Heatmap:
    """Incoming calls outside phone hours in the period, by weekday and hour (local)."""
    calls = PhoneCall.objects.filter(
        started_at__gte=scope.start,
        started_at__lt=scope.end,
        direction=CallDirection.INBOUND,
        inside_phone_hours=False,
    )
    calls = scope.filters.apply(calls, prefix="case__")
    per_hour = (
        calls.annotate(hour=UtcHour("started_at")).values_list("hour").annotate(n=Count("id"))
    )
    cells: dict[tuple[int, int], int] = defaultdict(int)
    for hour, count in per_hour.order_by():
        local = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        local = local.astimezone(scope.tz)
        cells[(local.isoweekday(), local.hour)] += count
    return Heatmap(dict(cells))


def backlog(scope: ReportScope) -> list[tuple[dt.date, int]]:
    """Cases still open at the end of each working day of the period.

    A case is open at an instant when it was created before it and had not
    yet been resolved or closed (``resolved_at``) by then; so the open count
    at T is (cases created before T) − (cases ended before T). Four indexed
    queries at most: both counts at the start of the period, the cases ended per
    day in it, and the cases opened per day (shared with the enquiries figure).
    """
    office = scope.office
    days = [day for day in scope.period.days() if office.is_open_day(day)]
    if not days:
        return []
    cases = scope.filters.apply(Case.objects.filter(merged_into__isnull=True))
    open_at_start = (
        cases.filter(created_at__lt=scope.start).count()
        - cases.filter(resolved_at__lt=scope.start).count()
    )
    ended: dict[int, int] = defaultdict(int)
    ended_in_period = cases.filter(resolved_at__gte=scope.start, resolved_at__lt=scope.end)
    for index, count in scope.count_per_day(ended_in_period, "resolved_at"):
        ended[index] += count
    result = []
    running = open_at_start
    for index, day in enumerate(scope.period.days()):
        # Cases opened that day are the enquiries of the day (same cases, same filters).
        running += sum(scope.opened_per_day[index].values()) - ended[index]
        if office.is_open_day(day):
            result.append((day, running))
    return result
