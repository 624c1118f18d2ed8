"""``manage.py sla_warnings``: the five-minute target warnings, by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from scheduling.sla_warnings import sla_warnings_schedule_ensure, sla_warnings_send


class Command(BaseCommand):
    help = (
        "Mail the warnings about cases whose first answer is due soon or overdue; each warning "
        "goes out once, however often this runs. With --install-schedule, only (re)create the "
        "django-q schedule that runs this every five minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--install-schedule",
            action="store_true",
            help="Create or update the five-minute schedule (idempotent) instead of running.",
        )

    def handle(self, *args: Any, install_schedule: bool = False, **options: Any) -> None:
        if install_schedule:
            schedule = sla_warnings_schedule_ensure()
            self.stdout.write(
                f"Schedule {schedule.name!r}: {schedule.cron}, next {schedule.next_run}"
            )
            return
        self.stdout.write(f"Sent {sla_warnings_send()} target warnings.")
