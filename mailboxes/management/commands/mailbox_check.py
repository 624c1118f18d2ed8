"""``manage.py mailbox_check NAME``: test a mailbox's connection without taking anything in.

Signs in (password or a token from Microsoft's identity platform), opens the folder to
read and the folder for processed mail, and prints what it found; or the error in plain
words, with a non-zero exit status.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mailboxes.models import Mailbox
from mailboxes.polling import mailbox_check
from mailboxes.problems import MailboxError


class Command(BaseCommand):
    help = "Test the connection of a mailbox: sign in and open its folders."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="the mailbox's name")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        try:
            mailbox = Mailbox.objects.get(name=name)
        except Mailbox.DoesNotExist:
            raise CommandError(f"No mailbox called {name!r}.") from None
        try:
            found = mailbox_check(mailbox=mailbox)
        except MailboxError as exc:
            raise CommandError(f"{mailbox.name}: {exc}") from exc
        for line in found:
            self.stdout.write(f"{mailbox.name}: {line}")
        self.stdout.write(f"{mailbox.name}: OK")
