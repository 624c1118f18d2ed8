"""The figures of the SLA report, each computed by the database.

Every figure is one query (or a fixed few) with aggregates, annotations and
window functions: the cost does not grow with Python loops over cases, only
with the rows the report shows (days, weekday×hour cells, breaches).

The rules the figures apply:
- a case belongs to the period in which it was opened (created_at, local days);
- its SLA outcome is *on time* when its first answer came within the target,
  *late* when after it, *breached* when it has no answer yet and its due time
  has passed at the moment of the report, *pending* before that;
- times are working times with the paused (waiting-on-customer) time left out:
  ``Case.response_time`` and ``Case.late_by`` are stored that way;
- a reopened case keeps its first-response figures (``first_response_at`` is
  written once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import RowNumber

from calendars.business_calendar import BusinessCalendar
from cases.models import CallDirection, Case, Channel, PhoneCall, Priority, PsoLevel, Status
from scheduling.models.callbacks import Callback, CallbackState
from scheduling.reports.period import Period
from scheduling.reports.sql import UtcHour

ZERO = dt.timedelta(0)


class Outcome:
    """The SLA outcome of one case, as stored values."""

    ON_TIME = "on_time"
    LATE = "late"
    BREACHED = "breached"
    PENDING = "pending"


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


def outcome_expression(now: dt.datetime) -> CaseWhen:
    """SQL for a case's SLA outcome at ``now`` (see the module docstring)."""
    return CaseWhen(
        When(first_response_at__isnull=False, late_by=ZERO, then=Value(Outcome.ON_TIME)),
        When(first_response_at__isnull=False, late_by__gt=ZERO, then=Value(Outcome.LATE)),
        When(first_response_at__isnull=True, due_at__lt=now, then=Value(Outcome.BREACHED)),
        default=Value(Outcome.PENDING),
    )


OUTCOME_FIELDS = ("total", "on_time", "late", "breached", "pending")


def _outcome_counts(now: dt.datetime) -> dict[str, Count]:
    return {
        "total": Count("id"),
        "on_time": Count("id", filter=Q(first_response_at__isnull=False, late_by=ZERO)),
        "late": Count("id", filter=Q(first_response_at__isnull=False, late_by__gt=ZERO)),
        "breached": Count("id", filter=Q(first_response_at__isnull=True, due_at__lt=now)),
        "pending": Count(
            "id",
            filter=Q(first_response_at__isnull=True)
            & (Q(due_at__gte=now) | Q(due_at__isnull=True)),
        ),
    }


class Percent(float):
    """A share in percent (shown with a % sign; plain floats are shown as numbers)."""


def share(part: int, whole: int) -> Percent | None:
    """``part`` as a percentage of ``whole``, or None when there is nothing to share."""
    return None if whole == 0 else Percent(round(100 * part / whole, 1))


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    total: int
    on_time: int
    late: int
    breached: int
    pending: int

    @property
    def decided(self) -> int:
        """Cases whose outcome is known: answered, or past their target unanswered."""
        return self.on_time + self.late + self.breached

    @property
    def on_time_share(self) -> float | None:
        return share(self.on_time, self.decided)


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Breach:
    reference: str
    subject: str
    created_at: dt.datetime
    due_at: dt.datetime
    first_response_at: dt.datetime | None
    late_by: dt.timedelta
    paused: bool
    answered: bool


@dataclass(frozen=True)
class ResponseRow:
    channel: str
    priority: str
    answered: int
    median: dt.timedelta | None
    p90: dt.timedelta | None


@dataclass(frozen=True)
class CallbackSummary:
    scheduled: int
    in_slot: int
    in_window: int
    later: int
    reached_first_attempt: int
    average_attempts: float | None
    still_open: int


@dataclass
class Heatmap:
    """Counts per ISO weekday (1 = Monday) and hour of the day."""

    cells: dict[tuple[int, int], int] = field(default_factory=dict)

    def count(self, weekday: int, hour: int) -> int:
        return self.cells.get((weekday, hour), 0)


def nearest_rank(count: F, percent: int) -> ExpressionWrapper:
    """SQL for a percentile's nearest-rank position: ceil(percent / 100 × count)."""
    return ExpressionWrapper((count * percent + 99) / 100, output_field=IntegerField())


class SlaReport:
    """All figures for one period and filter, computed on first use."""

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

    # --- Cases of the period ----------------------------------------------------------

    def cases(self) -> QuerySet[Case]:
        """Cases opened in the period that match the filters."""
        return self.filters.apply(
            Case.objects.filter(created_at__gte=self.start, created_at__lt=self.end)
        )

    def _day_of(self, field_name: str) -> CaseWhen:
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

    def _local_day_index(self, utc_hour: str) -> int | None:
        """The period's day (index) of a ``UtcHour`` group, or None outside the period."""
        instant = dt.datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
        index = (instant.astimezone(self.tz).date() - self.period.first_day).days
        return index if 0 <= index < len(self.period) else None

    def _count_per_day(self, rows: QuerySet, field_name: str, *group_by: str) -> list[tuple]:
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
            index = self._local_day_index(hour)
            if index is not None:
                counted.append((index, *fields, count))
        return counted

    @cached_property
    def _per_day(self) -> dict[int, dict[str, int]]:
        by_day: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for index, channel, count in self._count_per_day(self.cases(), "created_at", "channel"):
            by_day[index][channel] += count
        return by_day

    def enquiries_by_day(self) -> list[DayRow]:
        return [
            DayRow(day, {channel: self._per_day[i].get(channel, 0) for channel in Channel.values})
            for i, day in enumerate(self.period.days())
        ]

    @cached_property
    def _groups(self) -> list[dict]:
        """One scan of the period's cases: outcome counts per channel, priority and level.

        Several figures (totals, channels, the urgent-mail summary, PSO levels,
        still open) are sums over these few groups, so they cost no query of their own.
        """
        return list(
            self.cases()
            .values("channel", "priority", "pso_level_at_open")
            .annotate(
                **_outcome_counts(self.now),
                still_open=Count("id", filter=Q(status__in=Status.active())),
            )
            .order_by()
        )

    def _sum(self, label: str, **match: str) -> OutcomeRow:
        rows = [g for g in self._groups if all(g[k] == v for k, v in match.items())]
        return OutcomeRow(label=label, **{k: sum(g[k] for g in rows) for k in OUTCOME_FIELDS})

    def enquiries_by_channel(self) -> dict[str, int]:
        return {channel: self._sum(channel, channel=channel).total for channel in Channel.values}

    def urgent_email(self) -> QuerySet[Case]:
        return self.cases().filter(channel=Channel.EMAIL, priority=Priority.URGENT)

    def urgent_email_summary(self) -> OutcomeRow:
        return self._sum("urgent_email", channel=Channel.EMAIL, priority=Priority.URGENT)

    def urgent_email_breaches(self) -> list[Breach]:
        """Every urgent mail answered late or still unanswered past its target."""
        rows = (
            self.urgent_email()
            .filter(
                Q(first_response_at__isnull=False, late_by__gt=ZERO)
                | Q(first_response_at__isnull=True, due_at__lt=self.now)
            )
            .order_by("due_at", "reference")
            .values(
                "reference",
                "subject",
                "created_at",
                "due_at",
                "first_response_at",
                "late_by",
                "sla_paused_total",
            )
        )
        breaches = []
        for row in rows:
            answered = row["first_response_at"] is not None
            # An unanswered mail is late by the working time since its due time.
            late_by = row["late_by"] if answered else self.office.elapsed(row["due_at"], self.now)
            breaches.append(
                Breach(
                    reference=row["reference"],
                    subject=row["subject"],
                    created_at=row["created_at"],
                    due_at=row["due_at"],
                    first_response_at=row["first_response_at"],
                    late_by=late_by,
                    paused=bool(row["sla_paused_total"]),
                    answered=answered,
                )
            )
        return breaches

    # --- First-response times ---------------------------------------------------------

    def response_times(self) -> list[ResponseRow]:
        """Median and 90th percentile (nearest rank) per channel and priority, in SQL."""
        partition = [F("channel"), F("priority")]
        ranked = (
            self.cases()
            .filter(response_time__isnull=False)
            .annotate(
                rank=Window(RowNumber(), partition_by=partition, order_by=F("response_time").asc()),
                n=Window(Count("id"), partition_by=partition),
            )
            .annotate(
                k50=nearest_rank(F("n"), 50),
                k90=nearest_rank(F("n"), 90),
            )
            .filter(Q(rank=F("k50")) | Q(rank=F("k90")))
            .values("channel", "priority", "rank", "n", "k50", "k90", "response_time")
        )
        found: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
        for row in ranked:
            key = (row["channel"], row["priority"])
            found[key]["n"] = row["n"]
            if row["rank"] == row["k50"]:
                found[key]["median"] = row["response_time"]
            if row["rank"] == row["k90"]:
                found[key]["p90"] = row["response_time"]
        return [
            ResponseRow(
                channel=channel,
                priority=priority,
                answered=int(found[(channel, priority)].get("n", 0)),  # type: ignore[arg-type]
                median=found[(channel, priority)].get("median"),  # type: ignore[arg-type]
                p90=found[(channel, priority)].get("p90"),  # type: ignore[arg-type]
            )
            for channel in Channel.values
            for priority in (Priority.URGENT, Priority.NORMAL)
        ]

    # --- Out-of-hours demand ------------------------------------------------------------

    def out_of_hours_calls(self) -> Heatmap:
        """Incoming calls outside phone hours in the period, by weekday and hour (local)."""
        calls = PhoneCall.objects.filter(
            started_at__gte=self.start,
            started_at__lt=self.end,
            direction=CallDirection.INBOUND,
            inside_phone_hours=False,
        )
        calls = self.filters.apply(calls, prefix="case__")
        per_hour = (
            calls.annotate(hour=UtcHour("started_at")).values_list("hour").annotate(n=Count("id"))
        )
        cells: dict[tuple[int, int], int] = defaultdict(int)
        for hour, count in per_hour.order_by():
            local = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)
            local = local.astimezone(self.tz)
            cells[(local.isoweekday(), local.hour)] += count
        return Heatmap(dict(cells))

    # --- Backlog --------------------------------------------------------------------------

    def backlog(self) -> list[tuple[dt.date, int]]:
        """Cases still open at the end of each working day of the period.

        A case is open at an instant when it was created before it and had not
        yet been resolved or closed (``resolved_at``) by then; so the open count
        at T is (cases created before T) − (cases ended before T). Four indexed
        queries at most: both counts at the start of the period, the cases ended per
        day in it, and the cases opened per day (shared with the enquiries figure).
        """
        days = [day for day in self.period.days() if self.office.is_open_day(day)]
        if not days:
            return []
        cases = self.filters.apply(Case.objects.all())
        open_at_start = (
            cases.filter(created_at__lt=self.start).count()
            - cases.filter(resolved_at__lt=self.start).count()
        )
        ended: dict[int, int] = defaultdict(int)
        ended_in_period = cases.filter(resolved_at__gte=self.start, resolved_at__lt=self.end)
        for index, count in self._count_per_day(ended_in_period, "resolved_at"):
            ended[index] += count
        result = []
        running = open_at_start
        for index, day in enumerate(self.period.days()):
            # Cases opened that day are the enquiries of the day (same cases, same filters).
            running += sum(self._per_day[index].values()) - ended[index]
            if self.office.is_open_day(day):
                result.append((day, running))
        return result

    # --- By PSO level -----------------------------------------------------------------------

    def by_pso_level(self) -> list[OutcomeRow]:
        """Enquiries and on-time share by the organisation's PSO level when it asked."""
        return [self._sum(level, pso_level_at_open=level) for level in PsoLevel.values]

    def overall(self) -> OutcomeRow:
        return self._sum("all")

    def still_open(self) -> int:
        return sum(g["still_open"] for g in self._groups)

    # --- Callbacks ------------------------------------------------------------------------------

    def callbacks(self) -> CallbackSummary:
        """Callbacks promised for the period, and when they were made, in one query.

        A callback counts in the period of the slot first promised to the caller.
        *In slot*: reached before that slot ended. *Same opening*: reached later,
        but on the same phone day. *Later*: on a later day. Attempts are the calls
        it took: the calls without answer plus the one that reached the caller.
        """
        callbacks = self.filters.apply(
            Callback.objects.filter(
                promised_slot_start__gte=self.start, promised_slot_start__lt=self.end
            ),
            prefix="case__",
        )
        done = Q(state=CallbackState.DONE, completed_at__isnull=False)
        same_day = Q(completed_day=F("promised_day"))
        after_slot = done & Q(completed_at__gte=F("promised_slot_end"))
        figures = callbacks.annotate(
            completed_day=self._day_of("completed_at"),
            promised_day=self._day_of("promised_slot_start"),
        ).aggregate(
            scheduled=Count("id"),
            in_slot=Count("id", filter=done & Q(completed_at__lt=F("promised_slot_end"))),
            in_window=Count("id", filter=after_slot & same_day),
            after_slot=Count("id", filter=after_slot),
            first_attempt=Count("id", filter=done & Q(attempts=0)),
            average_attempts=Avg(F("attempts") + 1, filter=done),
            still_open=Count("id", filter=Q(state__in=CallbackState.open())),
        )
        average = figures["average_attempts"]
        return CallbackSummary(
            scheduled=figures["scheduled"],
            in_slot=figures["in_slot"],
            in_window=figures["in_window"],
            # Not "~same_day" in SQL: a day outside the period is NULL there.
            later=figures["after_slot"] - figures["in_window"],
            reached_first_attempt=figures["first_attempt"],
            average_attempts=None if average is None else round(float(average), 2),
            still_open=figures["still_open"],
        )

    # --- Case-level rows (CSV) ---------------------------------------------------------------

    def case_rows(self) -> QuerySet[Case]:
        """One row per case of the period with its times and SLA outcome (for export)."""
        return (
            self.cases()
            .annotate(outcome=outcome_expression(self.now))
            .order_by("created_at", "id")
            .values_list(
                "reference",
                "created_at",
                "channel",
                "priority",
                "category__name",
                "status",
                "organisation__name",
                "organisation__kvk_number",
                "pso_level_at_open",
                "assignee__username",
                "due_at",
                "first_response_at",
                "response_time",
                "late_by",
                "sla_paused_total",
                "resolved_at",
                "outcome",
            )
        )
