"""``manage.py callbacks_morning``: the phone-day morning run, by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from scheduling.callbacks.morning import callbacks_morning, morning_schedule_ensure


class Command(BaseCommand):
    help = (
        "Move callbacks missed on earlier days to the earliest free slots and mail the day's "
        "callback queue to staff and managers. With --install-schedule, only (re)create the "
        "django-q schedule that runs this every phone-day morning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--install-schedule",
            action="store_true",
            help="Create or update the morning schedule (idempotent) instead of running.",
        )

    def handle(self, *args: Any, install_schedule: bool = False, **options: Any) -> None:
        if install_schedule:
            schedule = morning_schedule_ensure()
            self.stdout.write(
                f"Schedule {schedule.name!r}: {schedule.cron}, next {schedule.next_run}"
            )
            return
        result = callbacks_morning()
        self.stdout.write(
            f"Moved {len(result.moved)} missed callbacks; mailed {result.mailed} digests."
        )
