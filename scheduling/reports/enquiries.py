"""Enquiries: how many cases came in, by day, channel and PSO level, and how they fared.

All of these are sums over the scope's two shared scans (cases opened per day, outcome counts
per channel, priority and PSO level), so they cost no query of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.models import Channel, PsoLevel
from scheduling.reports.outcomes import OutcomeRow
from scheduling.reports.scope import ReportScope


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def by_day(scope: ReportScope) -> list[DayRow]:
    """Cases opened on each day of the period, per channel (every channel, zeros included)."""
    per_day = scope.opened_per_day
    return [
        DayRow(day, {channel: per_day[i].get(channel, 0) for channel in Channel.values})
        for i, day in enumerate(scope.period.days())
    ]


def by_channel(scope: ReportScope) -> dict[str, int]:
    """Cases opened in the period per channel."""
    return {
        channel: scope.outcome_sum(channel, channel=channel).total for channel in Channel.values
    }


def by_pso_level(scope: ReportScope) -> list[OutcomeRow]:
    """Enquiries and on-time share by the organisation's PSO level when it asked."""
    return [scope.outcome_sum(level, pso_level_at_open=level) for level in PsoLevel.values]


def overall(scope: ReportScope) -> OutcomeRow:
    """The outcome counts of every case of the period."""
    return scope.outcome_sum("all")


def still_open(scope: ReportScope) -> int:
    """Cases of the period that are still active now."""
    return sum(g["still_open"] for g in scope.groups)
