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

:class:`SlaReport` gathers the figures; each family lives in its own module:
``enquiries`` (volume by day, channel and PSO level), ``first_response`` (response times and
urgent-mail breaches), ``callback_figures`` and ``workload`` (out-of-hours calls, backlog), on
the shared :class:`~scheduling.reports.scope.ReportScope`. The names below stay importable from
here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from cases.models import Case
from scheduling.reports import callback_figures, enquiries, first_response, workload
from scheduling.reports.callback_figures import CallbackSummary
from scheduling.reports.enquiries import DayRow
from scheduling.reports.first_response import Breach, ResponseRow, nearest_rank
from scheduling.reports.outcomes import (
    OUTCOME_FIELDS,
    ZERO,
    Outcome,
    OutcomeRow,
    Percent,
    outcome_expression,
    share,
)
from scheduling.reports.scope import ReportFilters, ReportScope
from scheduling.reports.workload import Heatmap

__all__ = [
    "OUTCOME_FIELDS",
    "ZERO",
    "Breach",
    "CallbackSummary",
    "DayRow",
    "Heatmap",
    "Outcome",
    "OutcomeRow",
    "Percent",
    "ReportFilters",
    "ResponseRow",
    "SlaReport",
    "nearest_rank",
    "outcome_expression",
    "share",
]


class SlaReport(ReportScope):
    """All figures for one period and filter, computed on first use."""

    # --- Enquiries ----------------------------------------------------------------------------

    def enquiries_by_day(self) -> list[DayRow]:
        return enquiries.by_day(self)

    def enquiries_by_channel(self) -> dict[str, int]:
        return enquiries.by_channel(self)

    def by_pso_level(self) -> list[OutcomeRow]:
        return enquiries.by_pso_level(self)

    def overall(self) -> OutcomeRow:
        return enquiries.overall(self)

    def still_open(self) -> int:
        return enquiries.still_open(self)

    # --- First responses ----------------------------------------------------------------------

    def urgent_email(self) -> QuerySet[Case]:
        return first_response.urgent_email(self)

    def urgent_email_summary(self) -> OutcomeRow:
        return first_response.urgent_email_summary(self)

    def urgent_email_breaches(self) -> list[Breach]:
        return first_response.urgent_email_breaches(self)

    def response_times(self) -> list[ResponseRow]:
        return first_response.response_times(self)

    # --- Workload and callbacks ---------------------------------------------------------------

    def out_of_hours_calls(self) -> Heatmap:
        return workload.out_of_hours_calls(self)

    def backlog(self) -> list[tuple[dt.date, int]]:
        return workload.backlog(self)

    def callbacks(self) -> CallbackSummary:
        return callback_figures.callback_summary(self)

    # --- Case-level rows (CSV) ----------------------------------------------------------------

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
