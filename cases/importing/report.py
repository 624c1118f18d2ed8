"""What an import tells its user: every row's outcome and every problem, with row and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

#: Which column a model field's error belongs to.
_FIELD_COLUMNS = {
    "name": "name",
    "kvk_number": "kvk",
    "kind": "kind",
    "city": "city",
    "website": "website",
    "email_domains": "email_domains",
    "level": "level",
    "effective_from": "effective_from",
    "valid_until": "valid_until",
    "reference": "reference",
    "note": "note",
}


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet row number (header = 1); 0 for the file as a whole
    column: str  # the column as named in the file; "" when the row as a whole is wrong
    message: str


@dataclass
class RowResult:
    row: int
    organisation: str
    action: str  # "create", "update" or "unchanged"
    changed: list[str] = field(default_factory=list)  # "field: old → new", for people
    status: str = ""  # "add", "exists" or "" (no status in the row)
    status_label: str = ""


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def count_status(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def organisations_created(self) -> int:
        return len({r.organisation for r in self.rows if r.action == "create"})

    @property
    def organisations_updated(self) -> int:
        return len({r.organisation for r in self.rows if r.action == "update"})

    @property
    def statuses_added(self) -> int:
        return self.count_status("add")

    @property
    def statuses_existing(self) -> int:
        return self.count_status("exists")


class RowProblems:
    """The problems of one row, in the order found, each under the column as named in the file."""

    def __init__(self, row: int, headers: dict[str, str]) -> None:
        self.row = row
        self.headers = headers  # column key → header as written in the file
        self.found: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, key: str, message: object) -> None:
        """A problem in the column ``key``; "" (or a column the file lacks): the whole row."""
        self.found.append(Problem(self.row, self.headers.get(key, ""), str(message)))

    def add_validation(self, exc: ValidationError, whole_row: str = "") -> None:
        """A model's validation errors, each under the column its field was read from.

        Errors that belong to no single column go under ``whole_row``.
        """
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                self.add(_FIELD_COLUMNS.get(field_name, whole_row), message)


def report_summary(report: ImportReport, *, rows: int, problems: int) -> dict[str, Any]:
    """What the import page keeps of a report: every count, the first rows and problems.

    A register export of 78,000 rows would make a page nobody reads and a
    record of many megabytes; the counts are exact, the lists are cut to
    ``rows`` and ``problems`` entries (the page says how many more there are).
    """
    return {
        "dry_run": report.dry_run,
        "written": report.written,
        "organisations_created": report.organisations_created,
        "organisations_updated": report.organisations_updated,
        "statuses_added": report.statuses_added,
        "statuses_existing": report.statuses_existing,
        "empty_rows": report.empty_rows,
        "ignored_columns": list(report.ignored_columns),
        "row_count": len(report.rows),
        "rows": [asdict(r) for r in report.rows[:rows]],
        "problem_count": len(report.problems),
        "problems": [asdict(p) for p in report.problems[:problems]],
    }
