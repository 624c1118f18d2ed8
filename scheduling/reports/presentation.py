"""The report's charts, drawn from the same tables the page shows beside them.

Charts reuse the tables' figures, so a chart never costs a query of its own and
never disagrees with the numbers printed next to it.
"""

from __future__ import annotations

from django.utils.formats import date_format, get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import Channel
from scheduling.reports import charts
from scheduling.reports.tables import WEEKDAYS, Table


def report_charts(tables: dict[str, Table]) -> dict[str, SafeString]:
    """SVG charts keyed by table slug (only where a picture says more than the table)."""
    enquiries = tables["enquiries"].rows[:-1]  # the last row holds the totals
    heat = tables["out-of-hours"]
    hours = heat.columns[1:-1]
    # Axis figures follow the reader's language: "2,5" in Dutch, "2.5" in English.
    decimal = get_format("DECIMAL_SEPARATOR")
    svg = {
        "enquiries": charts.bar_chart(
            "chart-enquiries",
            _("Enquiries by day and channel"),
            [date_format(row[0], "D j") for row in enquiries],
            [
                (str(label), [row[1 + i] for row in enquiries])
                for i, (_value, label) in enumerate(Channel.choices)
            ],
            description=_("Stacked bars: one per day, one part per channel."),
            decimal=decimal,
        ),
        "backlog": charts.line_chart(
            "chart-backlog",
            _("Open cases at the end of each working day"),
            [(date_format(day, "D j"), count) for day, count in tables["backlog"].rows],
            description=_("A line through the number of open cases per working day."),
            decimal=decimal,
        ),
        "pso-level": charts.bar_chart(
            "chart-pso",
            _("Enquiries by PSO level"),
            [row[0] for row in tables["pso-level"].rows],
            [(_("Enquiries"), [row[1] for row in tables["pso-level"].rows])],
            description=_("One bar per PSO level."),
            decimal=decimal,
            height=220,
        ),
        "out-of-hours": charts.heatmap(
            "chart-out-of-hours",
            _("Calls outside phone hours by weekday and hour"),
            [str(day) for day in WEEKDAYS],
            [hour[:2] for hour in hours],
            {(r, c): row[c + 1] for r, row in enumerate(heat.rows) for c in range(len(hours))},
            description=_("Darker cells: more calls outside phone hours in that hour."),
        ),
    }
    # Every label and title was escaped while drawing (see charts.py).
    return {slug: mark_safe(value) for slug, value in svg.items()}  # noqa: S308
