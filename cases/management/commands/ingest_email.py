"""``manage.py ingest_email PATH... | -``: take in raw RFC 5322 messages.

For an MTA pipe (``-`` reads one message from standard input), a migration from
another system, or mail an ESP could not deliver. Each message goes through the
same intake as the webhooks and prints one line:
``<source>: <case reference> <new|reply|duplicate|quarantined: reason>``.
A message that cannot be processed is still stored (and listed for staff), so
the exit status is non-zero only when something could not be stored at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.first_answer.clock import configuration_kept
from cases.intake.batches import mail_receive_many
from cases.intake.storage import Delivery

SOURCE = "ingest_email"
#: Messages are stored a batch at a time (one commit), bounded in count and bytes so
#: memory stays flat: a larger message is a batch of its own.
BATCH_MESSAGES = 100
BATCH_BYTES = 20 * 1024 * 1024


def _messages(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    for name in paths:
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix.lower() == ".eml":
                    yield str(child), child
        else:
            yield name, path


class _Unreadable(Exception):
    pass


def _read(path: Path | None, stdin: Any) -> bytes:
    try:
        if path is not None:
            return path.read_bytes()
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
    except OSError as exc:
        raise _Unreadable(exc.strerror or str(exc)) from exc
    return data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data


class Command(BaseCommand):
    help = "Take in raw email messages from files, a directory of .eml files, or - (stdin)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args: Any, paths: list[str], **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        with configuration_kept():  # targets and urgency words read once per run
            failures = self._take(paths, stdin)
        if failures:
            raise CommandError(f"{failures} message(s) could not be read or stored.")

    def _take(self, paths: list[str], stdin: Any) -> int:
        failures = 0
        batch: list[tuple[str, Delivery]] = []
        size = 0
        for source, path in _messages(paths):
            try:
                raw = _read(path, stdin)
            except _Unreadable as exc:
                self.stderr.write(f"{source}: cannot read: {exc}")
                failures += 1
                continue
            if batch and (len(batch) >= BATCH_MESSAGES or size + len(raw) > BATCH_BYTES):
                failures += self._receive(batch)
                batch, size = [], 0
            batch.append((source, Delivery(raw=raw, source=SOURCE)))
            size += len(raw)
            del raw
        if batch:
            failures += self._receive(batch)
        return failures

    def _receive(self, batch: list[tuple[str, Delivery]]) -> int:
        """Take in one batch and print a line per message; returns how many were not stored."""
        names = [name for name, _delivery in batch]
        # No other reference to the bytes: intake lets go of them once stored.
        deliveries = [delivery for _name, delivery in batch]
        batch.clear()
        try:
            # Processed inline: the line printed says what became of each message.
            receipts = mail_receive_many(deliveries, inline=True)
        except Exception as exc:  # could not even be stored: the caller must retry
            for name in names:
                self.stderr.write(f"{name}: not stored: {type(exc).__name__}: {exc}")
            return len(names)
        for name, receipt in zip(names, receipts, strict=True):
            self.stdout.write(f"{name}: {receipt.describe()}")
        return 0
