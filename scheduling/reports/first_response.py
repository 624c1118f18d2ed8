"""First-response figures: median and 90th-percentile response times, and urgent-mail breaches.

Times are working times with the paused (waiting-on-customer) time left out:
``Case.response_time`` and ``Case.late_by`` are stored that way, and a reopened case keeps its
first-response figures (``first_response_at`` is written once).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from cases.models import Case, Channel, Priority
from scheduling.reports.outcomes import ZERO, OutcomeRow
from scheduling.reports.scope import ReportScope


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


def nearest_rank(count: F, percent: int) -> ExpressionWrapper:
    """SQL for a percentile's nearest-rank position: ceil(percent / 100 × count)."""
    return ExpressionWrapper((count * percent + 99) / 100, output_field=IntegerField())


def urgent_email(scope: ReportScope) -> QuerySet[Case]:
    """The period's urgent mail."""
    return scope.cases().filter(channel=Channel.EMAIL, priority=Priority.URGENT)


def urgent_email_summary(scope: ReportScope) -> OutcomeRow:
    """The outcome counts of the period's urgent mail."""
    return scope.outcome_sum("urgent_email", channel=Channel.EMAIL, priority=Priority.URGENT)


def urgent_email_breaches(scope: ReportScope) -> list[Breach]:
    """Every urgent mail answered late or still unanswered past its target.

    An answered mail is late by its stored ``late_by``; an unanswered one by the office
    hours' working time from its due time to the moment of the report.
    """
    rows = (
        urgent_email(scope)
        .filter(
            Q(first_response_at__isnull=False, late_by__gt=ZERO)
            | Q(first_response_at__isnull=True, due_at__lt=scope.now)
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
        late_by = row["late_by"] if answered else scope.office.elapsed(row["due_at"], scope.now)
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


def response_times(scope: ReportScope) -> list[ResponseRow]:
    """Median and 90th percentile (nearest rank) per channel and priority, in SQL."""
    partition = [F("channel"), F("priority")]
    ranked = (
        scope.cases()
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
