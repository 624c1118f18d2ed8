"""Handing one fetched message to the helpdesk's intake, exactly as the webhooks do.

The raw bytes go through ``cases.intake.email.mail_receive``: stored and committed
first (same dedupe: the mailbox's key of the message as delivery id, then Message-ID
and content), processed after the commit. Only when this returns may the caller move
the message on the server. An IMAP poll stores what it fetched a batch at a time
(``messages_take``: one commit for the batch). What a poll stored is handed to the
worker a batch at a time, one task per batch (``waiting_hand_over``), not one task per
message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from cases.intake.batches import mail_receive_many
from cases.intake.email import Receipt, inbound_processing_later, mail_receive
from cases.intake.storage import Delivery
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
    _count(report, key, receipt)


def messages_take(
    *, mailbox: Mailbox, fetched: list[tuple[str, bytes]], report: PollReport, inline: bool = False
) -> None:
    """Store a fetched batch of ``(key, raw)`` through the intake in one commit (committed
    when this returns) and count it. ``fetched`` is emptied: the intake lets go of the
    bytes once stored. Either the whole batch is stored or, on an error, none of it."""
    keys = [key for key, _raw in fetched]
    deliveries = [
        Delivery(
            raw=raw,
            source=mailbox.source,
            esp_event_id=key,
            envelope_recipient=mailbox.address,
        )
        for key, raw in fetched
    ]
    fetched.clear()
    try:
        receipts = mail_receive_many(deliveries, inline=inline, queue=False)
    except Exception as exc:  # not stored: the batch stays on the server for the next poll
        detail = f"{keys[0]} (and {len(keys) - 1} more)" if len(keys) > 1 else keys[0]
        raise MailboxError(Problem.STORE, f"{detail}: {type(exc).__name__}: {exc}") from exc
    for key, receipt in zip(keys, receipts, strict=True):
        _count(report, key, receipt)


def _count(report: PollReport, key: str, receipt: Receipt) -> None:
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
