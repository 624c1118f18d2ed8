"""``manage.py seed_demo``: fill the helpdesk with demo data and print the demo log-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helpdesk.demo.data import seed_demo


class Command(BaseCommand):
    help = (
        "Create demo organisations, contacts, cases and the demo accounts sanne (staff) and "
        "marco (manager). Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        result = seed_demo(seed=seed)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data created: {result.organisations} organisations, "
                    f"{result.cases} cases."
                )
            )
        else:
            self.stdout.write(
                f"Demo data is already there ({result.organisations} organisations, "
                f"{result.cases} cases); nothing changed."
            )
        self.stdout.write("Demo log-ins (for demonstrations only):")
        for account in result.accounts:
            role = "manager" if account.is_staff else "staff"
            self.stdout.write(f"  {account.username} / {account.password}  ({role})")
