"""CSV exports of the report: each table, and every case of the period streamed.

Spreadsheet conventions: UTF-8 with a byte-order mark (so Excel reads accents),
text that would start a formula neutralised (``neutralised``),
times in Europe/Amsterdam as ``YYYY-MM-DD HH:MM``, durations in whole minutes.
In the reader's language: labels instead of stored codes, and for Dutch a ``;``
between fields and a decimal comma, as Dutch Excel expects (``CsvFormat``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from cases.models import Channel, Priority, PsoLevel, Status
from scheduling.reports.figures import SlaReport
from scheduling.reports.outcomes import Outcome
from scheduling.reports.tables import Cell, Table


@dataclass(frozen=True)
class CsvFormat:
    """Field separator and decimal sign of an export."""

    delimiter: str = ","
    decimal: str = "."


#: An explicit choice on the export link (``?format=``) wins over the language.
CSV_FORMATS = {"nl": CsvFormat(";", ","), "en": CsvFormat(",", ".")}


def csv_format(language: str, choice: str = "") -> CsvFormat:
    """Dutch spreadsheets want ``;`` and ``2,5``; others ``,`` and ``2.5``."""
    if choice in CSV_FORMATS:
        return CSV_FORMATS[choice]
    return CSV_FORMATS["nl"] if language.startswith("nl") else CSV_FORMATS["en"]


BOM = "\ufeff"
CHUNK_SIZE = 2000


def csv_value(value: Cell, tz: ZoneInfo, fmt: CsvFormat = CsvFormat()) -> str | int | float:
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
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", fmt.decimal)
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


def csv_lines(
    header: list[str], rows: Iterable[Iterable[Cell]], tz: ZoneInfo, fmt: CsvFormat
) -> Iterator[str]:
    """Every export's lines: the BOM and the header, then each row's cells as
    ``csv_value`` writes them (local times, minutes, decimal sign, formulas neutralised)."""
    writer = csv.writer(_Echo(), delimiter=fmt.delimiter)
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_value(cell, tz, fmt) for cell in row])


def table_lines(table: Table, tz: ZoneInfo, fmt: CsvFormat = CsvFormat()) -> Iterator[str]:
    header = [
        f"{column} (min)" if _is_duration_column(table, i) else column
        for i, column in enumerate(table.columns)
    ]
    return csv_lines(header, table.rows, tz, fmt)


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


#: Columns of ``case_header`` that hold stored codes, by position.
CODE_COLUMNS = {2: "channel", 3: "priority", 5: "status", 8: "pso", 16: "outcome"}


def code_labels() -> dict[str, dict[str, str]]:
    """The label of every stored code, in the active language (made before streaming,
    while the request's language is certain)."""
    outcomes = {
        Outcome.ON_TIME: _("on time"),
        Outcome.LATE: _("late"),
        Outcome.BREACHED: _("not answered in time"),
        Outcome.PENDING: _("not yet due"),
    }
    return {
        "channel": {code: str(label) for code, label in Channel.choices},
        "priority": {code: str(label) for code, label in Priority.choices},
        "status": {code: str(label) for code, label in Status.choices},
        "pso": {code: str(label) for code, label in PsoLevel.choices},
        "outcome": {code: str(label) for code, label in outcomes.items()},
    }


def _labelled(rows: Iterable[tuple], labels: dict[str, dict[str, str]]) -> Iterator[list[Cell]]:
    for row in rows:
        cells = list(row)
        for index, kind in CODE_COLUMNS.items():
            if isinstance(cells[index], str):
                cells[index] = labels[kind].get(cells[index], cells[index])
        yield cells


def case_lines(report: SlaReport, fmt: CsvFormat = CsvFormat()) -> Iterator[str]:
    """Every case of the period, fetched in chunks so memory stays flat."""
    rows = report.case_rows().iterator(chunk_size=CHUNK_SIZE)
    return csv_lines(case_header(), _labelled(rows, code_labels()), report.tz, fmt)
