"""Email in and out: every received message kept raw, every sent message with its ids.

A received message is stored (raw bytes and their SHA-256) before anything is
parsed, so no mail is ever lost to a parsing bug: a message that cannot be
processed stays here with its error and can be processed again later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.contacts import Contact


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not yet processed")
    PROCESSING = "processing", _("Being processed")
    PROCESSED = "processed", _("Processed")
    QUARANTINED = "quarantined", _("Set aside")
    FAILED = "failed", _("Could not be processed")
    DROPPED = "dropped", _("Dropped (mail loop)")

    @classmethod
    def needs_staff(cls) -> list[str]:
        """Messages that belong on the "unprocessed mail" list."""
        return [cls.RECEIVED, cls.QUARANTINED, cls.FAILED]


class InboundOutcome(models.TextChoices):
    NEW = "new", _("Opened a new case")
    REPLY = "reply", _("Added to a case")
    NONE = "", _("No case")


class InboundMessage(models.Model):
    """One received email, exactly as it arrived, and what became of it."""

    # --- Stored before parsing ---------------------------------------------------------
    received_at = models.DateTimeField(_("received at"), db_index=True)
    source = models.CharField(_("received through"), max_length=60)
    esp_event_id = models.CharField(
        _("delivery id of the mail service"), max_length=200, blank=True
    )
    raw_sha256 = models.CharField(_("SHA-256 of the raw message"), max_length=64)
    #: SHA-256 of the message without the trace headers relays add on the way
    #: (Received, Delivered-To …): the same message through two routes has one.
    content_sha256 = models.CharField(
        _("SHA-256 of the content"), max_length=64, blank=True, default=""
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    #: Taken from the header block with a tolerant scan when storing, so the same
    #: message delivered twice is refused by the database, not by a race.
    message_id = models.CharField(_("Message-ID"), max_length=500, blank=True)
    #: Another, different message already came with this Message-ID: threading
    #: does not trust the id of this one.
    message_id_reused = models.BooleanField(_("Message-ID used before"), default=False)
    envelope_sender = models.CharField(_("envelope sender"), max_length=320, blank=True)
    envelope_recipient = models.CharField(_("envelope recipient"), max_length=320, blank=True)

    # --- Filled in by processing --------------------------------------------------------
    status = models.CharField(
        _("status"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=InboundOutcome.choices, blank=True, default=""
    )
    error = models.TextField(_("processing error or reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    #: When the current attempt claimed the message: a claim much older than a
    #: processing run takes is a crashed attempt, taken up again by the recovery job.
    processing_started_at = models.DateTimeField(_("processing started at"), null=True, blank=True)
    #: When a failed message is tried again by itself (empty: only by staff).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    from_address = models.CharField(_("from (address)"), max_length=320, blank=True)
    from_name = models.CharField(_("from (name)"), max_length=200, blank=True)
    to = models.TextField(_("to"), blank=True)
    cc = models.TextField(_("cc"), blank=True)
    subject = models.TextField(_("subject"), blank=True)
    sent_at = models.DateTimeField(_("date in the message"), null=True, blank=True)
    in_reply_to = models.TextField(_("In-Reply-To"), blank=True)
    references = models.TextField(_("References"), blank=True)
    priority_header = models.CharField(_("priority set by the sender"), max_length=100, blank=True)
    text_body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML (unsanitised, never shown as is)"), blank=True)
    automatic_reason = models.CharField(
        _("automatic message because"),
        max_length=100,
        blank=True,
        help_text=_("Empty for mail written by a person."),
    )
    is_bounce = models.BooleanField(_("delivery failure report"), default=False)
    dropped_attachments = models.TextField(_("attachments left out"), blank=True)

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    #: A case named in the subject by someone who is not one of its participants:
    #: linked for staff to look at, never merged.
    related_case = models.ForeignKey(
        Case,
        verbose_name=_("case mentioned in the subject"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentioned_in_messages",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    #: The message exactly as received. Last on purpose: SQLite keeps a row's
    #: columns in order, and a large value in the middle would make every read
    #: of the columns after it walk the value's overflow pages.
    raw = models.BinaryField(_("raw message"))

    class Meta:
        verbose_name = _("received email")
        verbose_name_plural = _("received emails")
        ordering = ["-received_at", "-pk"]
        constraints = [
            # The same message twice is the same Message-ID *and* the same content; a
            # different message reusing an id is a message of its own.
            models.UniqueConstraint(
                fields=["message_id", "content_sha256"],
                condition=~Q(message_id=""),
                name="inbound_unique_message_id_and_content",
            ),
            models.UniqueConstraint(
                fields=["raw_sha256"],
                condition=Q(message_id=""),
                name="inbound_unique_hash_without_message_id",
            ),
            models.UniqueConstraint(
                fields=["source", "esp_event_id"],
                condition=~Q(esp_event_id=""),
                name="inbound_unique_esp_event",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["case", "received_at"]),
            models.Index(fields=["raw_sha256"]),
            # Plain indexes for the duplicate and thread look-ups: the partial
            # unique indexes above are not used for a plain equality test.
            models.Index(fields=["message_id"]),
            models.Index(fields=["source", "esp_event_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_address or '?'}: {self.subject[:60]}"

    @property
    def is_automatic(self) -> bool:
        """Sent by a machine (auto-reply, bounce, list mail): never acknowledged, never reopens.

        ``automatic_reason`` says why (see ``cases.intake.parsing.automatic_reason``);
        a delivery failure report is automatic whatever its headers say.
        """
        return bool(self.automatic_reason) or self.is_bounce

    @property
    def automatic_label(self) -> str:
        """Why the message counts as automatic, for people."""
        if self.automatic_reason:
            return self.automatic_reason
        return str(_("delivery failure report")) if self.is_bounce else ""


class MailAttachment(models.Model):
    """A file that came with a received message; only ever served as a download."""

    message = models.ForeignKey(
        InboundMessage,
        verbose_name=_("received email"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type (as sent)"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content"))
    inline = models.BooleanField(_("inline in the message"), default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being handed to the mail server")
    HELD = "held", _("Held back, not sent")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Sending failed")
    BOUNCED = "bounced", _("Bounced")


class OutboundMessage(models.Model):
    """One email the helpdesk sent on a case, with the ids that let replies find it."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="outbound_messages"
    )
    message_id = models.CharField(_("Message-ID"), max_length=500, unique=True)
    #: The id the mail service gave it (Amazon SES replaces our Message-ID).
    esp_message_id = models.CharField(
        _("id at the mail service"), max_length=500, blank=True, db_index=True
    )
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=500, blank=True)
    references = models.TextField(_("References"), blank=True)
    from_address = models.CharField(_("from"), max_length=320)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    automatic = models.BooleanField(_("sent automatically"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    status_detail = models.TextField(_("status detail"), blank=True)
    #: When the current delivery attempt started (claimed the message).
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject[:60]}"


class DeliveryEventKind(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    BOUNCED = "bounced", _("bounced")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")
    COMPLAINED = "complained", _("marked as spam")


class DeliveryEvent(models.Model):
    """What the mail service reported about a sent message (delivered, bounced, …).

    ``event_key`` is the service's event id (with the recipient, as one event can
    name several), or a digest of the event's fields when the service gives no id:
    the same report delivered twice is recorded once.
    """

    message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("sent email"),
        on_delete=models.CASCADE,
        related_name="delivery_events",
    )
    source = models.CharField(_("reported by"), max_length=60)
    event_key = models.CharField(_("event id"), max_length=200)
    kind = models.CharField(_("event"), max_length=12, choices=DeliveryEventKind.choices)
    occurred_at = models.DateTimeField(_("at"))
    recipient = models.CharField(_("recipient"), max_length=320, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("delivery event")
        verbose_name_plural = _("delivery events")
        ordering = ["message", "occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_key"], name="delivery_event_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


class WebhookToken(models.Model):
    """A signed webhook token already used: a second post with it is a replay."""

    token = models.CharField(_("token"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("seen at"), db_index=True)

    class Meta:
        verbose_name = _("used webhook token")
        verbose_name_plural = _("used webhook tokens")

    def __str__(self) -> str:
        return self.token
