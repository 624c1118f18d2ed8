"""``manage.py mailbox_poll [NAME]``: poll one mailbox (or every active one) now.

Each message is processed before the command moves on, and one line says what became
of it (as ``ingest_email`` does); the last line sums up. The exit status is non-zero
when a poll stopped on an error (the mailbox shows it too).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mailboxes.models import Mailbox
from mailboxes.polling import mailbox_poll
from mailboxes.selectors import mailboxes_active


class Command(BaseCommand):
    help = "Poll a mailbox now (all active mailboxes without NAME) and print what it took in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", nargs="?", help="the mailbox's name")

    def handle(self, *args: Any, name: str | None = None, **options: Any) -> None:
        if name:
            try:
                mailboxes = [Mailbox.objects.get(name=name)]
            except Mailbox.DoesNotExist:
                raise CommandError(f"No mailbox called {name!r}.") from None
        else:
            mailboxes = list(mailboxes_active())
            if not mailboxes:
                self.stdout.write("No active mailboxes.")
        failed = 0
        for mailbox in mailboxes:
            report = mailbox_poll(mailbox=mailbox, inline=True)
            for line in report.lines:
                self.stdout.write(f"{mailbox.name}: {line}")
            self.stdout.write(report.describe())
            failed += report.error is not None
        if failed:
            raise CommandError(f"{failed} mailbox poll(s) stopped on an error.")
