"""Mail taken in a batch at a time: a mailbox poll's fetch, a folder given to ``ingest_email``.

The same intake as ``cases.intake.email.mail_receive``, message for message (the same
dedupe, the same processing, the same outcome), with the work shared that a batch can
share: the messages are stored with one look-up and one commit
(``cases.intake.storage.inbound_store_many``), and processed with a savepoint each in a
few shared commits (``cases.intake.email.inbound_process_batch``). Storing still
commits before any processing starts, so a failure in processing never takes a message
with it.
"""

from __future__ import annotations

import logging

from django.db import transaction

from cases.intake.email import (
    Receipt,
    inbound_process_batch,
    inbound_processing_later,
    waiting_for_processing,
)
from cases.intake.storage import Delivery, inbound_store_many
from cases.models import InboundMessage

log = logging.getLogger(__name__)


def mail_receive_many(
    deliveries: list[Delivery], *, inline: bool = False, queue: bool = True
) -> list[Receipt]:
    """Store ``deliveries``, then have them processed: one receipt per delivery, in order,
    as ``mail_receive`` gives for each.

    A second delivery of a message earlier in the same batch is a duplicate of it. With
    ``inline`` the batch is processed before this returns; else it is handed to the worker
    in one task once committed, or with ``queue`` off left to the caller
    (``receipt.waiting``). ``deliveries`` is emptied once stored: the raw bytes are let go
    of before processing reads each message back.
    """
    stored = inbound_store_many(deliveries)
    deliveries.clear()
    new = {id(item.message) for item in stored if not item.duplicate}
    # Processed: what is new, and what was kept before but still waits (as mail_receive).
    take = [
        not item.duplicate or (id(item.message) not in new and waiting_for_processing(item.message))
        for item in stored
    ]
    waiting = list(
        dict.fromkeys(item.message.pk for item, t in zip(stored, take, strict=True) if t)
    )
    processed: dict[int, InboundMessage] = {}
    if inline and waiting:
        try:
            processed = inbound_process_batch(waiting)
        except Exception:  # stored and committed: the recovery job processes them later
            log.exception("A batch of %d stored messages could not be processed", len(waiting))
    elif queue and waiting:
        transaction.on_commit(lambda: inbound_processing_later(message_pks=waiting), robust=True)
    return [
        Receipt(
            processed.get(item.message.pk, item.message),
            duplicate=not taken,
            waiting=taken and not inline,
        )
        for item, taken in zip(stored, take, strict=True)
    ]
