"""CSV exports of the report: each table, and every case of the period streamed.

Spreadsheet conventions: UTF-8 with a byte-order mark (so Excel reads accents),
text that would start a formula neutralised (``neutralised``),
times in Europe/Amsterdam as ``YYYY-MM-DD HH:MM``, durations in whole minutes.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from scheduling.reports.figures import SlaReport
from scheduling.reports.tables import Cell, Table

BOM = "\ufeff"
CHUNK_SIZE = 2000


def csv_value(value: Cell, tz: ZoneInfo) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 60)
    if isinstance(value, str):
        return neutralised(value)
    return value


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text`` as a spreadsheet shows it, never runs it: a leading formula sign is quoted.

    ``=HYPERLINK(...)`` in an organisation's name becomes ``'=HYPERLINK(...)``,
    which Excel and LibreOffice show as text.
    """
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line, for streaming."""

    def write(self, value: str) -> str:
        return value


def _lines(header: list[str], rows: Iterable[Iterable[Cell]], tz: ZoneInfo) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_value(cell, tz) for cell in row])


def table_lines(table: Table, tz: ZoneInfo) -> Iterator[str]:
    header = [
        f"{column} (min)" if _is_duration_column(table, i) else column
        for i, column in enumerate(table.columns)
    ]
    return _lines(header, table.rows, tz)


def _is_duration_column(table: Table, index: int) -> bool:
    return any(isinstance(row[index], dt.timedelta) for row in table.rows)


def case_header() -> list[str]:
    return [
        _("reference"),
        _("opened"),
        _("channel"),
        _("priority"),
        _("category"),
        _("status"),
        _("organisation"),
        _("KvK number"),
        _("PSO level when asked"),
        _("assignee"),
        _("due"),
        _("first answer"),
        _("first-response time (min)"),
        _("late by (min)"),
        _("paused (min)"),
        _("resolved"),
        _("SLA outcome"),
    ]


def case_lines(report: SlaReport) -> Iterator[str]:
    """Every case of the period, fetched in chunks so memory stays flat."""
    rows = report.case_rows().iterator(chunk_size=CHUNK_SIZE)
    return _lines(case_header(), rows, report.tz)
