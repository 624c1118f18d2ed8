"""Blanking rows of one kind: the building blocks the case and person steps share.

Each function takes a queryset (already narrowed to one case, or to one person's
rows of a case) and returns how many rows it changed. Set-based updates, so a
case with a hundred mails costs the same few queries as one with a single mail.
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, QuerySet, Value
from django.db.models.functions import Cast, Concat

from cases.models import DeliveryEvent, InboundMessage, MailAttachment, OutboundMessage
from privacy.scrub import ANONYMISED


def _unique_placeholder(prefix: str) -> Concat:
    # The digests and ids of mail sit under unique constraints: each blanked row
    # gets its own value ("anonymised-<pk>"), which says what happened to it.
    return Concat(Value(prefix), Cast("pk", CharField()))


def inbound_wipe(messages: QuerySet[InboundMessage]) -> int:
    """Received mail: headers, bodies, the raw original and its attachments, gone.

    Kept: when it arrived, through what, its size, status and outcome, and the case
    it belongs to — what the reports and the case's timeline need.
    """
    pks = list(messages.values_list("pk", flat=True))
    if not pks:
        return 0
    MailAttachment.objects.filter(message_id__in=pks).delete()
    InboundMessage.objects.filter(pk__in=pks).update(
        raw=b"",
        raw_sha256=_unique_placeholder("anonymised-"),
        content_sha256=_unique_placeholder("anonymised-"),
        message_id="",
        envelope_sender="",
        envelope_recipient="",
        error="",
        from_address="",
        from_name=ANONYMISED,
        to="",
        cc="",
        subject=ANONYMISED,
        in_reply_to="",
        references="",
        text_body="",
        html_body="",
        dropped_attachments="",
        contact=None,
    )
    admin_log_scrub(InboundMessage, pks)
    return len(pks)


def originals_remove(messages: QuerySet[InboundMessage]) -> int:
    """Only the raw original and the attachments (the policy's shorter period)."""
    pks = list(messages.values_list("pk", flat=True))
    if not pks:
        return 0
    MailAttachment.objects.filter(message_id__in=pks).delete()
    InboundMessage.objects.filter(pk__in=pks).update(raw=b"")
    return len(pks)


def outbound_wipe(messages: QuerySet[OutboundMessage]) -> int:
    """Sent mail: recipients, subject and bodies; the delivery reports' recipients."""
    pks = list(messages.values_list("pk", flat=True))
    if not pks:
        return 0
    OutboundMessage.objects.filter(pk__in=pks).update(
        to="",
        subject=ANONYMISED,
        body_text=ANONYMISED,
        body_html="",
        in_reply_to="",
        references="",
        status_detail="",
    )
    DeliveryEvent.objects.filter(message_id__in=pks).update(recipient="", detail="")
    admin_log_scrub(OutboundMessage, pks)
    return len(pks)


def admin_log_scrub(model: type[Model], pks: list[int]) -> int:
    """The administration's history names objects by their text ("Jan Jansen"): blank it."""
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).update(object_repr=ANONYMISED, change_message="")
