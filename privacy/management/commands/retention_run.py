"""Apply the retention policy now (or show what it would do), without a time budget."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from privacy.retention import retention_run, retention_schedule_ensure


class Command(BaseCommand):
    help = "Anonymise and remove what the retention policy says is due (see docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count; change nothing.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--schedule", action="store_true", help="Create or repair the nightly schedule."
        )

    def handle(self, *args, dry_run: bool, batch_size: int, schedule: bool, **options):
        if schedule:
            retention_schedule_ensure()
            self.stdout.write("Nightly retention schedule is in place.")
            return
        run = retention_run(dry_run=dry_run, batch_size=max(1, batch_size))
        for kind, count in run.counts.items():
            self.stdout.write(f"{kind}: {count}")
