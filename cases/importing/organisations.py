"""The import of a whole register export: every row in turn, all or nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from cases.importing.applying import plan_apply
from cases.importing.matching import FirstRows, organisation_match
from cases.importing.planning import row_plan
from cases.importing.reading import ImportFileError, read_table
from cases.importing.report import ImportReport, Problem, RowProblems, RowResult
from cases.importing.validation import row_read

#: A progress callback hears (rows done, rows in the file) once per this many rows.
PROGRESS_EVERY = 200

Progress = Callable[[int, int], None]


def organisations_import(
    *, data: bytes, dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Import a register export; all or nothing (see ``cases.importing``).

    The dry run performs the very same steps inside a transaction that is rolled
    back, so its report is exactly what a real run would do. ``progress``, when
    given, is called with (rows done, rows in the file) every ``PROGRESS_EVERY``
    rows and at the end; it must not write to the database (the import's
    transaction would hide or undo it).
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(data)
    except ImportFileError as exc:
        report.problems.append(Problem(row=0, column="", message=str(exc)))
        return report
    report.ignored_columns = table.ignored
    total = len(table.rows)
    with transaction.atomic():
        first_rows: FirstRows = {}
        for done, (number, values) in enumerate(table.rows):
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            if not any(v for v in values.values()):
                report.empty_rows += 1
                continue
            problems = RowProblems(number, table.headers)
            result = _row_import(number, values, problems, first_rows)
            report.problems.extend(problems.found)
            if result is not None:
                report.rows.append(result)
        if dry_run or report.problems:
            transaction.set_rollback(True)
    if progress is not None:
        progress(total, total)
    return report


def _row_import(
    number: int, values: dict[str, str], problems: RowProblems, first_rows: FirstRows
) -> RowResult | None:
    """One row: read, match, plan, write; None as soon as a step adds a problem.

    Later rows see what earlier rows wrote, so a file may name an organisation
    twice; a KvK number counts as taken by its first row once that row is written.
    """
    row = row_read(number, values, problems)
    if row is None:
        return None
    organisation = organisation_match(row=row, first_rows=first_rows, problems=problems)
    if problems:
        return None
    plan = row_plan(row=row, organisation=organisation, problems=problems)
    if plan is None:
        return None
    result = plan_apply(plan=plan, problems=problems)
    if result is not None and row.kvk:
        first_rows.setdefault(row.kvk, (row.number, row.name))
    return result
