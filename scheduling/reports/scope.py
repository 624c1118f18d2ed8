"""What one SLA report covers: a period, filters and a moment, and the cases they select.

The figure modules (``enquiries``, ``first_response``, ``callback_figures``, ``workload``) read
their cases from a :class:`ReportScope`; the two scans several figures share (cases opened per
day, outcome counts per group) are made once per scope.

- A case belongs to the period in which it was opened (``created_at``, local days in ``tz``).
- Days are put on their local day from UTC-hour groups or from day boundaries computed in
  ``tz``, so the database compares instants and never converts each row's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from calendars.business_calendar import BusinessCalendar
from cases.models import Case, Status
from scheduling.reports.outcomes import OUTCOME_FIELDS, OutcomeRow, outcome_counts
from scheduling.reports.period import Period
from scheduling.reports.sql import UtcHour


@dataclass(frozen=True)
class ReportFilters:
    channel: str = ""
    priority: str = ""
    category_id: int | None = None
    pso_level: str = ""
    assignee_id: int | None = None

    def apply(self, rows: QuerySet, prefix: str = "") -> QuerySet:
        """``rows`` narrowed to the filters; ``prefix`` reaches the case from another model."""
        lookups: dict[str, object] = {}
        if self.channel:
            lookups["channel"] = self.channel
        if self.priority:
            lookups["priority"] = self.priority
        if self.category_id:
            lookups["category_id"] = self.category_id
        if self.pso_level:
            lookups["pso_level_at_open"] = self.pso_level
        if self.assignee_id:
            lookups["assignee_id"] = self.assignee_id
        return rows.filter(**{f"{prefix}{key}": value for key, value in lookups.items()})


class ReportScope:
    """The period, filters and moment of one report, with the scans its figures share."""

    def __init__(
        self,
        *,
        period: Period,
        filters: ReportFilters,
        now: dt.datetime,
        tz: ZoneInfo,
        office_calendar: BusinessCalendar,
    ) -> None:
        self.period = period
        self.filters = filters
        self.now = now
        self.tz = tz
        self.office = office_calendar
        self.start, self.end = period.bounds(tz)

    def cases(self) -> QuerySet[Case]:
        """Cases opened in the period that match the filters.

        A merged case is left out: its calls and mail moved to the case it was merged
        into, which carries the first-answer figures of the pair, so the pair counts once.
        """
        return self.filters.apply(
            Case.objects.filter(
                created_at__gte=self.start, created_at__lt=self.end, merged_into__isnull=True
            )
        )

    def day_of(self, field_name: str) -> CaseWhen:
        """SQL for the period's day (its index) in which ``field_name`` falls.

        Built from the day boundaries in the helpdesk's zone (DST-correct), so
        the database compares instants instead of converting every row's time
        zone — on SQLite that conversion is a Python call per row.
        """
        whens = []
        for index, day in enumerate(self.period.days()):
            end_of_day = dt.datetime.combine(
                day + dt.timedelta(days=1), dt.time(), tzinfo=self.tz
            ).astimezone(dt.UTC)
            whens.append(When(**{f"{field_name}__lt": end_of_day}, then=Value(index)))
        return CaseWhen(*whens, default=Value(None), output_field=IntegerField())

    def local_day_index(self, utc_hour: str) -> int | None:
        """The period's day (index) of a ``UtcHour`` group, or None outside the period."""
        instant = dt.datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        index = (instant.astimezone(self.tz).date() - self.period.first_day).days
        return index if 0 <= index < len(self.period) else None

    def count_per_day(self, rows: QuerySet, field_name: str, *group_by: str) -> list[tuple]:
        """Rows counted per period day (and ``group_by`` fields): (day index, *fields, n).

        The database groups by UTC hour, a native and cheap operation; the few
        hundred groups are put on their local day here.
        """
        per_hour = (
            rows.annotate(hour=UtcHour(field_name))
            .values_list("hour", *group_by)
            .annotate(n=Count("id"))
            .order_by()
        )
        counted = []
        for hour, *fields, count in per_hour:
            index = self.local_day_index(hour)
            if index is not None:
                counted.append((index, *fields, count))
        return counted

    @cached_property
    def opened_per_day(self) -> dict[int, dict[str, int]]:
        """Cases opened per period day (index) and channel: one scan, for enquiries and backlog."""
        by_day: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for index, channel, count in self.count_per_day(self.cases(), "created_at", "channel"):
            by_day[index][channel] += count
        return by_day

    @cached_property
    def groups(self) -> list[dict]:
        """One scan of the period's cases: outcome counts per channel, priority and level.

        Several figures (totals, channels, the urgent-mail summary, PSO levels,
        still open) are sums over these few groups, so they cost no query of their own.
        """
        return list(
            self.cases()
            .values("channel", "priority", "pso_level_at_open")
            .annotate(
                **outcome_counts(self.now),
                still_open=Count("id", filter=Q(status__in=Status.active())),
            )
            .order_by()
        )

    def outcome_sum(self, label: str, **match: str) -> OutcomeRow:
        """The outcome counts of the groups whose fields equal ``match`` (all groups if none)."""
        rows = [g for g in self.groups if all(g[k] == v for k, v in match.items())]
        return OutcomeRow(label=label, **{k: sum(g[k] for g in rows) for k in OUTCOME_FIELDS})
