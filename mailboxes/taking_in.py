"""Handing one fetched message to the helpdesk's intake, exactly as the webhooks do.

The raw bytes go through ``cases.intake.email.mail_receive``: stored and committed
first (same dedupe: the mailbox's key of the message as delivery id, then Message-ID
and content), processed after the commit. Only when this returns may the caller move
the message on the server. What a poll stored is handed to the worker a batch at a
time, one task per batch (``waiting_hand_over``), not one task per message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from cases.intake.email import inbound_processing_later, mail_receive
from mailboxes.models import Mailbox
from mailboxes.problems import MailboxError, Problem


@dataclass
class PollReport:
    """What one poll of one mailbox did, for the command's output and the log."""

    mailbox: str
    taken_in: int = 0
    duplicates: int = 0
    finished: int = 0
    lines: list[str] = field(default_factory=list)
    error: MailboxError | None = None
    busy: bool = False
    #: Stored by this poll, not yet handed to the worker for processing.
    waiting: list[int] = field(default_factory=list)

    def describe(self) -> str:
        if self.busy:
            return f"{self.mailbox}: another poll is running"
        text = (
            f"{self.mailbox}: {self.taken_in} taken in, {self.duplicates} already stored, "
            f"{self.finished} moved or marked"
        )
        if self.error is not None:
            text += f"; stopped: {self.error}"
        return text


def transaction_check() -> None:
    """A poll commits each message before it moves it: it cannot run inside a transaction."""
    if connection.in_atomic_block:
        raise RuntimeError("A mailbox poll must not run inside a transaction.")


def message_take(
    *, mailbox: Mailbox, raw: bytes, key: str, report: PollReport, inline: bool = False
) -> None:
    """Store ``raw`` through the intake (committed when this returns) and count it."""
    try:
        receipt = mail_receive(
            raw=raw,
            source=mailbox.source,
            esp_event_id=key,
            envelope_recipient=mailbox.address,
            inline=inline,
            queue=False,
        )
    except Exception as exc:  # not stored: the message stays on the server for the next poll
        raise MailboxError(Problem.STORE, f"{key}: {type(exc).__name__}: {exc}") from exc
    if receipt.duplicate:
        report.duplicates += 1
    else:
        report.taken_in += 1
    if receipt.waiting:
        report.waiting.append(receipt.message.pk)
    report.lines.append(f"{key}: {receipt.describe()}")


def waiting_hand_over(report: PollReport) -> None:
    """Queue the processing of what the poll stored so far: one worker task per batch."""
    inbound_processing_later(message_pks=report.waiting)
    report.waiting.clear()
