"""The one way the helpdesk sends email on a case.

Every outgoing message carries our own Message-ID (stored, so a reply finds its
case), In-Reply-To and References, the case reference in the subject and the
loop header with our id. Automatic messages (acknowledgements) also carry
``Auto-Submitted: auto-replied`` (RFC 3834), so well-behaved auto-responders stay
quiet. The message is handed to Django's email backend (anymail's in
production) only after the transaction commits: no mail for a rolled-back case.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.first_answer.clock import case_first_response
from cases.intake.parsing import message_ids
from cases.intake.recipients import (
    UndeliverableAddress,
    deliverable_address,
    deliverable_recipients,
)
from cases.models import (
    Case,
    InboundMessage,
    OutboundAttachment,
    OutboundMessage,
    OutboundStatus,
)


@dataclass(frozen=True)
class AttachmentFile:
    """A file to send with a message."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


class AttachmentsTooLarge(ValueError):
    """The files together are over the size limit that also holds for received mail."""


log = logging.getLogger(__name__)


def new_message_id() -> str:
    """A fresh Message-ID (without angle brackets) in our own domain."""
    return f"{uuid.uuid4().hex}@{settings.MAIL_MESSAGE_ID_DOMAIN}"


def subject_with_reference(subject: str, reference: str) -> str:
    """The subject with ``[reference]`` at the end unless it already names the case."""
    subject = " ".join((subject or "").split())
    if reference.lower() in subject.lower():
        return subject[:300]
    return f"{subject} [{reference}]".strip()[:300]


def _thread_headers(
    case: Case, parent: InboundMessage | OutboundMessage | str | None, *, first: bool = False
) -> tuple[str, list[str]]:
    if parent is None:
        parent = (
            InboundMessage.objects.filter(case=case)
            .exclude(message_id="")
            .only("message_id", "references")
            .order_by("-received_at", "-pk")
            .first()
        )
    if parent is None:
        return "", []
    if isinstance(parent, str):
        parent_id, earlier = parent.strip("<>"), []
    else:
        parent_id, earlier = parent.message_id, message_ids(parent.references)
    if not parent_id:
        return "", earlier
    # Also name our own first message on the case: Amazon SES replaces
    # Message-IDs, but what we put in References survives. (``first``: this is it.)
    ours = None
    if not first:
        ours = (
            OutboundMessage.objects.filter(case=case)
            .order_by("created_at", "pk")
            .values_list("message_id", flat=True)
            .first()
        )
    references = [*earlier, parent_id]
    if ours and ours not in references:
        references.insert(0, ours)
    return parent_id, references[-20:]


@transaction.atomic
def mail_send(
    *,
    case: Case,
    to: list[str] | str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    automatic: bool,
    in_reply_to: InboundMessage | OutboundMessage | str | None = None,
    actor: AbstractBaseUser | None = None,
    hold: str = "",
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    attachments: list[AttachmentFile] | None = None,
    first: bool = False,
) -> OutboundMessage:
    """Record an email on ``case`` and send it once the transaction commits.

    With ``hold`` (the reason) it is recorded as held back and never sent: a
    limit stopped it, and the case shows that it did.

    ``in_reply_to`` is the message answered (default: the case's latest received
    message). A staff member's (non-automatic) message is the case's first
    response when it has none yet (``cases.first_answer.clock.case_first_response``).

    ``cc`` and ``bcc`` are copies (blind copies are never shown to the others);
    ``attachments`` together may be as large as a received mail's
    (``MAIL_MAX_ATTACHMENT_BYTES``), else ``AttachmentsTooLarge`` and nothing is kept.

    ``first``: the caller knows this is the first message the helpdesk sends on the case
    (the acknowledgement of the mail that just opened it), so it is not looked for.
    """
    # Refused here, before anything is recorded: the user sees why at once.
    recipients = [deliverable_address(address) for address in ([to] if isinstance(to, str) else to)]
    copies = [deliverable_address(address) for address in cc or []]
    blind = [deliverable_address(address) for address in bcc or []]
    files = attachments or []
    if sum(len(f.content) for f in files) > settings.MAIL_MAX_ATTACHMENT_BYTES:
        raise AttachmentsTooLarge(settings.MAIL_MAX_ATTACHMENT_BYTES)
    parent_id, references = _thread_headers(case, in_reply_to, first=first)
    now = timezone.now()
    message = OutboundMessage.objects.create(
        case=case,
        message_id=new_message_id(),
        in_reply_to=parent_id,
        references=" ".join(f"<{mid}>" for mid in references),
        from_address=settings.DEFAULT_FROM_EMAIL,
        to=", ".join(recipients),
        cc=", ".join(copies),
        bcc=", ".join(blind),
        subject=subject_with_reference(subject, case.reference),
        body_text=body_text,
        body_html=body_html or "",
        automatic=automatic,
        sent_by=actor,
        created_at=now,
        status=OutboundStatus.HELD if hold else OutboundStatus.QUEUED,
        status_detail=hold[:2000],
    )
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(
            message=message,
            filename=f.filename[:255],
            content_type=f.content_type[:255],
            size=len(f.content),
            content=f.content,
        )
        for f in files
    )
    if hold:
        return message
    if not automatic and actor is not None:
        case_first_response(case, now)
    with_files = bool(files)
    transaction.on_commit(
        lambda: outbound_deliver(message_pk=message.pk, attachments=with_files), robust=True
    )
    return message


def outbound_deliver(*, message_pk: int, attachments: bool = True) -> OutboundMessage:
    """Hand a recorded message to the email backend; every failure is recorded, never raised.

    The message is claimed (queued → sending) with a conditional update, so the
    recovery job and a commit hook never send it twice. Whatever goes wrong while
    building or sending it ends as "failed" with the reason, shown on the case.
    ``attachments=False``: the sender knows it has none (they are not looked for).
    """
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(pk=message_pk, status=OutboundStatus.QUEUED).update(
        status=OutboundStatus.SENDING,
        sending_since=now,
        delivery_attempts=F("delivery_attempts") + 1,
    )
    message = OutboundMessage.objects.get(pk=message_pk)
    if not claimed:
        return message
    try:
        email = _email_of(message, attachments=attachments)
        email.send()
    except Exception as exc:  # any error at all: keep the message, say why
        log.exception("Sending %s failed", message.message_id)
        message.status = OutboundStatus.FAILED
        message.status_detail = _failure_words(exc)[:2000]
        message.save(update_fields=["status", "status_detail"])
        return message
    status = getattr(email, "anymail_status", None)
    esp_id = getattr(status, "message_id", None) if status is not None else None
    message.status = OutboundStatus.SENT
    message.sent_at = timezone.now()
    if esp_id and isinstance(esp_id, str):
        message.esp_message_id = esp_id.strip("<>")[:500]
    message.save(update_fields=["status", "sent_at", "esp_message_id"])
    return message


def _email_of(message: OutboundMessage, *, attachments: bool = True) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": f"<{message.message_id}>",
        settings.MAIL_LOOP_HEADER: settings.MAIL_LOOP_ID,
    }
    if message.in_reply_to:
        headers["In-Reply-To"] = f"<{message.in_reply_to}>"
    if message.references:
        headers["References"] = message.references
    if message.automatic:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_address,
        to=deliverable_recipients(message.to),
        cc=deliverable_recipients(message.cc) if message.cc else None,
        bcc=deliverable_recipients(message.bcc) if message.bcc else None,
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all() if attachments else ():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return email


def _failure_words(exc: Exception) -> str:
    """The reason a send failed, for the case page."""
    if isinstance(exc, UndeliverableAddress):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


@transaction.atomic
def outbound_resend(*, message: OutboundMessage) -> OutboundMessage:
    """Send a failed message again, as it was (same ids, so replies still find the case)."""
    updated = OutboundMessage.objects.filter(pk=message.pk, status=OutboundStatus.FAILED).update(
        status=OutboundStatus.QUEUED, status_detail=""
    )
    if updated:
        transaction.on_commit(lambda: outbound_deliver(message_pk=message.pk), robust=True)
    message.refresh_from_db()
    return message
