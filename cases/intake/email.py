"""Email intake: store first, parse second, then join a case or open one.

``mail_receive`` is the single entry point for every channel (anymail webhooks,
``manage.py ingest_email``). It commits the raw message first. A webhook then
answers the mail service at once and hands processing to the background worker
once the message is committed; ``ingest_email`` processes inline, because mail
pipes read the outcome line it prints.

Processing runs in its own transaction and claims the message with a conditional
update, so nothing is processed twice. When it fails, nothing of it remains except
the error on the stored message; it is tried again by itself after a back-off
(``cases.intake.recovery``), and staff see it on the "unprocessed mail" page and
can retry it. A crash in the middle (a killed process, a dropped database
connection) leaves the claim behind; the recovery job takes such a message up
again after a few minutes. A resend by the mail service of a message that is
stored but not yet processed starts its processing instead of being ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.first_answer.clock import configuration_kept
from cases.intake.case_updates import case_customer_replied, case_opened_from_mail
from cases.intake.claiming import inbound_claim
from cases.intake.parsing import parse_message, storable
from cases.intake.processed import (
    PROCESSED_FIELDS,
    attachments_store,
    loop_reason,
    message_fill,
)
from cases.intake.storage import inbound_store
from cases.intake.threading import find_thread, sender_contact
from cases.models import (
    Channel,
    InboundMessage,
    InboundOutcome,
    InboundStatus,
    OutboundStatus,
    Status,
)
from cases.services import case_open
from periodic.queue import enqueue

log = logging.getLogger(__name__)

#: How much of the first message becomes the case's description.
DESCRIPTION_CHARS = 10_000
#: A claim older than this is a crashed attempt (processing takes seconds).
STUCK_AFTER = dt.timedelta(minutes=5)
#: How long a failed message waits before its next automatic attempt; after the
#: last one, only staff retry it (the message is on the "unprocessed mail" page).
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))


@dataclass(frozen=True)
class Receipt:
    """What became of one received message, for a log line or a command's output."""

    message: InboundMessage
    duplicate: bool
    #: Stored and still to be processed (by the worker).
    waiting: bool = False

    def describe(self) -> str:
        """``<case reference> <new|reply|duplicate|quarantined: reason>``."""
        message = self.message
        reference = message.case.reference if message.case_id else "-"
        if self.duplicate:
            return f"{reference} duplicate"
        if message.status == InboundStatus.PROCESSED:
            return f"{reference} {message.outcome or 'reply'}"
        if message.status == InboundStatus.DROPPED:
            return f"{reference} quarantined: mail loop"
        if message.status == InboundStatus.FAILED:
            return f"{reference} quarantined: could not be processed ({message.error[:200]})"
        if message.status == InboundStatus.QUARANTINED:
            return f"{reference} quarantined: {message.error[:200]}"
        return f"{reference} received"


def mail_receive(
    *,
    raw: bytes,
    source: str,
    esp_event_id: str = "",
    envelope_sender: str = "",
    envelope_recipient: str = "",
    received_at: Any = None,
    inline: bool = False,
    queue: bool = True,
) -> Receipt:
    """Store ``raw`` (once, however often it is delivered), then have it processed.

    Processing is handed to the background worker once the message is committed;
    with ``inline`` (the command) it happens before this returns. With ``queue`` off
    the caller hands ``receipt.waiting`` messages to the worker itself, a batch in one
    task (``inbound_process_many``: a mailbox poll). A delivery of a message that is
    stored but still waiting (never processed, failed, or left half-done by a crash)
    starts its processing again.
    """
    stored = inbound_store(
        raw=raw,
        source=source,
        esp_event_id=esp_event_id,
        envelope_sender=envelope_sender,
        envelope_recipient=envelope_recipient,
        received_at=received_at,
    )
    message = stored.message
    del raw  # stored; processing reads it back, so memory stays flat for large mail
    if stored.duplicate and not waiting_for_processing(message):
        log.info("Duplicate delivery of inbound message %s (%s)", message.pk, source)
        return Receipt(message, duplicate=True)
    if stored.duplicate:
        log.info("Inbound message %s delivered again before it was processed", message.pk)
    pk = message.pk
    if inline:
        return Receipt(inbound_process(message_pk=pk), duplicate=False)
    if queue:
        transaction.on_commit(lambda: inbound_process_later(message_pk=pk), robust=True)
    return Receipt(message, duplicate=False, waiting=True)


def waiting_for_processing(message: InboundMessage) -> bool:
    """Whether a stored message still waits for processing (a crashed claim is released)."""
    if message.status in (InboundStatus.RECEIVED, InboundStatus.FAILED):
        return True
    if message.status != InboundStatus.PROCESSING:
        return False
    return inbound_release_stuck(message_pk=message.pk) > 0


def inbound_process_later(*, message_pk: int) -> None:
    """Queue the processing of a stored message for the background worker.

    If the broker cannot be reached the message simply stays "received": the
    recovery job (every minute) processes what has waited too long.
    """
    try:
        enqueue(inbound_process, message_pk=message_pk, group="mail-in")
    except Exception:
        log.exception("Could not queue inbound message %s; the recovery job will", message_pk)


def inbound_process_many(*, message_pks: list[int]) -> int:
    """Process stored messages one after another in one worker task (a poll's batch).

    Each message has its own claim and savepoint, as with ``inbound_process``; they are
    committed together a few at a time (``inbound_process_batch``), and what stays the
    same for the whole batch (response targets, urgency words) is read once. A worker
    stopped half-way leaves the rest "received" for the recovery job.
    """
    return len(inbound_process_batch(message_pks))


#: A batch is committed every this many messages, or sooner after this many seconds
#: (SQLite has one writer at a time: the web server's writes wait at most this long).
BATCH_COMMIT_EVERY = 25
BATCH_COMMIT_SECONDS = 0.25


def inbound_process_batch(message_pks: list[int]) -> dict[int, InboundMessage]:
    """Process ``message_pks`` in order, each as ``inbound_process`` does (its claim, its
    savepoint, a failure kept on the message and the rest going on), in transactions of a
    few messages; returns each message as processed.

    Only the commits are shared: a message that fails is still stored, marked failed and
    retried; a crash (or a commit that fails) undoes the claims of the messages since the
    last commit with the rest of their processing, so they are simply still "received"
    and the recovery job takes them up. Acknowledgements leave after their commit.
    """
    done: dict[int, InboundMessage] = {}
    pending = list(dict.fromkeys(message_pks))
    with configuration_kept():
        while pending:
            with transaction.atomic():
                started = time.monotonic()
                for _ in range(BATCH_COMMIT_EVERY):
                    pk = pending.pop(0)
                    done[pk] = inbound_process(message_pk=pk)
                    if not pending or time.monotonic() - started > BATCH_COMMIT_SECONDS:
                        break
    return done


def inbound_processing_later(*, message_pks: list[int]) -> None:
    """Queue ``inbound_process_many`` for committed messages (the recovery job catches
    what a broker that cannot be reached leaves behind)."""
    if not message_pks:
        return
    try:
        enqueue(inbound_process_many, message_pks=list(message_pks), group="mail-in")
    except Exception:
        log.exception(
            "Could not queue %d inbound messages; the recovery job will", len(message_pks)
        )


def inbound_release_stuck(*, message_pk: int | None = None, now: dt.datetime | None = None) -> int:
    """Release claims older than ``STUCK_AFTER`` (crashed attempts); returns how many.

    A released message is "failed" and due for its next attempt at once.
    """
    now = now or timezone.now()
    stuck = InboundMessage.objects.filter(status=InboundStatus.PROCESSING).filter(
        Q(processing_started_at__lt=now - STUCK_AFTER) | Q(processing_started_at__isnull=True)
    )
    if message_pk is not None:
        stuck = stuck.filter(pk=message_pk)
    return stuck.update(
        status=InboundStatus.FAILED,
        error=_("Processing was interrupted (the process stopped); it is tried again."),
        next_attempt_at=now,
    )


def retry_at(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When a message that failed its ``attempts``-th attempt is tried again, or None."""
    if attempts < 1 or attempts > len(RETRY_DELAYS):
        return None
    return now + RETRY_DELAYS[attempts - 1]


# --- Decisions offered to acknowledgements ----------------------------------------------


def may_acknowledge(message: InboundMessage) -> bool:
    """Whether an acknowledgement may be sent for ``message`` at all.

    Only for mail written by a person that opened a new case, from an address
    that is not the helpdesk's own. (The rate limit per sender comes on top.)
    """
    own = {a.lower() for a in settings.MAIL_HELPDESK_ADDRESSES}
    return (
        message.status == InboundStatus.PROCESSED
        and message.outcome == InboundOutcome.NEW
        and not message.is_automatic
        and bool(message.from_address)
        and message.from_address.lower() not in own
    )


# --- Processing ---------------------------------------------------------------------------


def inbound_process(*, message_pk: int, open_case: bool = False) -> InboundMessage:
    """Parse a stored message and join or open its case; failures are kept on the message.

    The message is claimed with a conditional update, so two workers (or a retry
    clicked twice) never process it twice. ``open_case`` is a staff member's
    decision that an automatic message set aside deserves a case of its own.
    """
    # One statement claims it and reads it, the raw bytes with it; they are dropped
    # from the row once parsed (cases.intake.claiming).
    message = inbound_claim(message_pk)
    if message is None:
        return InboundMessage.objects.defer("raw").get(pk=message_pk)
    try:
        with transaction.atomic():
            _process(message, open_case=open_case)
    except Exception as exc:  # the message is kept; staff see why and can retry
        log.exception("Inbound message %s could not be processed", message_pk)
        now = timezone.now()
        # With the database gone this raises too, and the claim stays behind for
        # the recovery job: the message is never lost, only late.
        InboundMessage.objects.filter(pk=message_pk, status=InboundStatus.PROCESSING).update(
            status=InboundStatus.FAILED,
            error=storable(f"{type(exc).__name__}: {exc}")[:2000],
            processed_at=now,
            next_attempt_at=retry_at(message.attempts, now),
        )
        message.refresh_from_db()
    return message


def _process(message: InboundMessage, *, open_case: bool = False) -> None:
    raw = bytes(message.raw)
    # A large message is not kept in memory three times over; a deferred field reads
    # it back from the database should anything ask for it again.
    del message.raw
    mail = parse_message(raw, envelope_sender=message.envelope_sender)
    del raw
    message_fill(message, mail)
    message.error = ""
    message.case = None
    message.related_case = None
    message.contact = None
    message.outcome = InboundOutcome.NONE
    message.processed_at = timezone.now()
    sender = mail.from_address

    loop = loop_reason(mail, sender)
    if loop:
        log.info("Dropped inbound message %s: our own mail came back (%s)", message.pk, loop)
        message.status = InboundStatus.DROPPED
        message.error = loop
        message.save(update_fields=PROCESSED_FIELDS)
        return

    attachments_store(message, mail)
    automatic = message.is_automatic
    match = find_thread(mail, exclude_pk=message.pk, sender=sender)
    if message.is_bounce and match.outbound is not None:
        match.outbound.status = OutboundStatus.BOUNCED
        match.outbound.status_detail = (mail.subject or _("Delivery failure report"))[:2000]
        match.outbound.save(update_fields=["status", "status_detail"])

    case = match.case
    mentioned = match.mentioned
    if case is not None and case.status == Status.CLOSED and not automatic:
        # A closed case stays closed: the new question becomes a case of its
        # own, linked to the old one.
        case, mentioned = None, case

    message.contact = sender_contact(
        address=sender, name=mail.from_name, create=(open_case or not automatic) and case is None
    )

    if case is not None:
        message.case = case
        message.outcome = InboundOutcome.REPLY
        message.status = InboundStatus.PROCESSED
        message.save(update_fields=PROCESSED_FIELDS)
        if not automatic:
            case_customer_replied(case=case, at=message.received_at)
        return

    if automatic and not open_case:
        message.related_case = mentioned
        message.status = InboundStatus.QUARANTINED
        message.error = f"automatic message without a case ({message.automatic_label})"
        message.save(update_fields=PROCESSED_FIELDS)
        return

    contact = message.contact
    case = case_open(
        subject=(mail.subject or _("(no subject)"))[:200],
        channel=Channel.EMAIL,
        actor=None,
        contact=contact,
        organisation=contact.organisation if contact is not None else None,
        description=mail.text[:DESCRIPTION_CHARS],
        created_at=message.received_at,
    )
    message.case = case
    message.related_case = mentioned
    message.outcome = InboundOutcome.NEW
    message.status = InboundStatus.PROCESSED
    message.save(update_fields=PROCESSED_FIELDS)
    case_opened_from_mail(case=case, message=message)
    if message.error:
        message.save(update_fields=["error"])
