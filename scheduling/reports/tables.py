"""The report's figures as tables: one shape for the page, the print view and CSV.

A cell holds a plain value (int, float, str, date, datetime, timedelta or None);
the page formats it for people, the CSV for spreadsheets (durations in minutes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Channel, Priority, PsoLevel
from scheduling.reports.figures import SlaReport

Cell = int | float | str | dt.date | dt.datetime | dt.timedelta | None

#: Day names from Django's own catalogue ("maandag" in Dutch), capitalised for a table.
WEEKDAYS = tuple(capfirst(DJANGO_WEEKDAYS[day]) for day in range(7))


@dataclass
class Table:
    slug: str
    title: str
    columns: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    """Per row, a case reference to link to (breach lists), else None."""


def enquiries_table(report: SlaReport) -> Table:
    days = report.enquiries_by_day()
    table = Table(
        "enquiries",
        str(_("Enquiries by day and channel")),
        [str(_("Day")), *[str(label) for label in Channel.labels], str(_("Total"))],
    )
    for row in days:
        table.rows.append([row.day, *[row.counts[c] for c in Channel.values], row.total])
    totals = [sum(r.counts[c] for r in days) for c in Channel.values]
    table.rows.append([str(_("Total")), *totals, sum(totals)])
    return table


def urgent_email_table(report: SlaReport) -> Table:
    summary = report.urgent_email_summary()
    return Table(
        "urgent-email",
        str(_("Urgent email: answered within one working day")),
        [
            str(_("Urgent emails")),
            str(_("On time")),
            str(_("Late")),
            str(_("Unanswered past target")),
            str(_("Pending")),
            str(_("On time (%)")),
        ],
        [
            [
                summary.total,
                summary.on_time,
                summary.late,
                summary.breached,
                summary.pending,
                summary.on_time_share,
            ]
        ],
    )


def breaches_table(report: SlaReport) -> Table:
    table = Table(
        "urgent-breaches",
        str(_("Urgent emails that missed the target")),
        [
            str(_("Case")),
            str(_("Subject")),
            str(_("Received")),
            str(_("Due")),
            str(_("First answer")),
            str(_("Late by (working time)")),
            str(_("Clock paused")),
        ],
    )
    for breach in report.urgent_email_breaches():
        table.rows.append(
            [
                breach.reference,
                breach.subject,
                breach.created_at,
                breach.due_at,
                breach.first_response_at or str(_("not yet answered")),
                breach.late_by,
                str(_("yes")) if breach.paused else str(_("no")),
            ]
        )
        table.links.append(breach.reference)
    return table


def response_times_table(report: SlaReport) -> Table:
    table = Table(
        "response-times",
        str(_("First-response time in working time")),
        [
            str(_("Channel")),
            str(_("Priority")),
            str(_("Answered")),
            str(_("Median")),
            str(_("90th percentile")),
        ],
    )
    for row in report.response_times():
        table.rows.append(
            [
                str(Channel(row.channel).label),
                str(Priority(row.priority).label),
                row.answered,
                row.median,
                row.p90,
            ]
        )
    return table


def callbacks_table(report: SlaReport) -> Table:
    summary = report.callbacks()
    return Table(
        "callbacks",
        str(_("Callbacks: made within their slot, the same opening, or later")),
        [
            str(_("Scheduled")),
            str(_("Booked on the website")),
            str(_("Made within the slot")),
            str(_("Made the same phone day")),
            str(_("Made later")),
            str(_("Reached at the first attempt")),
            str(_("Average attempts")),
            str(_("Still open")),
        ],
        [
            [
                summary.scheduled,
                summary.from_web,
                summary.in_slot,
                summary.in_window,
                summary.later,
                summary.reached_first_attempt,
                summary.average_attempts,
                summary.still_open,
            ]
        ],
    )


def out_of_hours_table(report: SlaReport) -> Table:
    heat = report.out_of_hours_calls()
    # The working day at least, widened to any hour that had calls, without gaps.
    seen = [hour for _, hour in heat.cells]
    hours = list(range(min([7, *seen]), max([18, *seen]) + 1))
    table = Table(
        "out-of-hours",
        str(_("Calls outside phone hours by weekday and hour")),
        [str(_("Weekday")), *[f"{hour:02d}:00" for hour in hours], str(_("Total"))],
    )
    for weekday in range(1, 8):
        counts = [heat.count(weekday, hour) for hour in hours]
        table.rows.append([str(WEEKDAYS[weekday - 1]), *counts, sum(counts)])
    return table


def backlog_table(report: SlaReport) -> Table:
    return Table(
        "backlog",
        str(_("Open cases at the end of each working day")),
        [str(_("Day")), str(_("Open cases"))],
        [[day, count] for day, count in report.backlog()],
    )


def pso_level_table(report: SlaReport) -> Table:
    table = Table(
        "pso-level",
        str(_("Enquiries and on-time share by PSO level")),
        [
            str(_("PSO level when asked")),
            str(_("Enquiries")),
            str(_("On time")),
            str(_("Late or past target")),
            str(_("Pending")),
            str(_("On time (%)")),
        ],
    )
    for row in report.by_pso_level():
        table.rows.append(
            [
                str(PsoLevel(row.label).label),
                row.total,
                row.on_time,
                row.late + row.breached,
                row.pending,
                row.on_time_share,
            ]
        )
    return table


TABLES = {
    "enquiries": enquiries_table,
    "urgent-email": urgent_email_table,
    "urgent-breaches": breaches_table,
    "response-times": response_times_table,
    "callbacks": callbacks_table,
    "out-of-hours": out_of_hours_table,
    "backlog": backlog_table,
    "pso-level": pso_level_table,
}
