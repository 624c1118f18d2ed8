"""``manage.py import_organisations FILE [--dry-run]``: import a register export (CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.importing import ImportReport, organisations_import

ACTIONS = {"create": "new", "update": "updated", "unchanged": "unchanged"}
STATUS_ACTIONS = {"add": "status added", "exists": "status already recorded"}


class Command(BaseCommand):
    help = (
        "Import organisations and their PSO statuses from a register export (CSV). "
        "All or nothing: a file with any problem writes nothing. See docs/import.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change and every problem, but write nothing",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        report = organisations_import(data=data, dry_run=dry_run)
        self.print_report(report)
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} problem(s) found; nothing was written. "
                "Correct the file and import it again."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Import done."))

    def print_report(self, report: ImportReport) -> None:
        for result in report.rows:
            parts = [ACTIONS[result.action]]
            if result.changed:
                parts.append("(" + ", ".join(result.changed) + ")")
            if result.status:
                parts.append(f"— {STATUS_ACTIONS[result.status]}: {result.status_label}")
            self.stdout.write(f"row {result.row}: {result.organisation} — {' '.join(parts)}")
        for column in report.ignored_columns:
            self.stdout.write(self.style.WARNING(f"column ignored (unknown): {column}"))
        for problem in report.problems:
            where = f"row {problem.row}" if problem.row else "file"
            if problem.column:
                where += f", column {problem.column}"
            self.stderr.write(self.style.ERROR(f"{where}: {problem.message}"))
        self.stdout.write(
            f"organisations: {report.organisations_created} new, "
            f"{report.organisations_updated} updated; "
            f"statuses: {report.statuses_added} new, {report.statuses_existing} already recorded; "
            f"problems: {len(report.problems)}"
        )
