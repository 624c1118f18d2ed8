"""The report writes numbers and durations as its reader does: "2,5" and "2 u 05 min" in Dutch."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from scheduling.reports import charts
from scheduling.templatetags.reports import report_cell


def test_chart_axes_use_the_decimal_comma_when_asked():
    # A top of 5 gives ticks 0, 1.25, 2.5, 3.75 and 5.
    dutch = charts.bar_chart("c", "Vragen", ["ma"], [("Telefoon", [5])], decimal=",")
    english = charts.bar_chart("c", "Enquiries", ["Mon"], [("Phone", [5])])
    assert ">2,5<" in dutch and ">1,25<" in dutch and ">2.5<" not in dutch
    assert ">2.5<" in english


def test_line_chart_axes_use_the_decimal_comma_too():
    svg = charts.line_chart("l", "Open", [("ma", 5), ("di", 3)], decimal=",")
    assert ">2,5<" in svg


def test_report_cells_follow_the_language():
    with translation.override("nl"):
        assert report_cell(2.5) == "2,50"
        assert report_cell(dt.timedelta(hours=2, minutes=5)) == "2 u 05 min"
        assert report_cell(dt.timedelta(minutes=40)) == "40 min"
    with translation.override("en"):
        assert report_cell(2.5) == "2.50"
        assert report_cell(dt.timedelta(hours=26)) == "26 h 00 min"
