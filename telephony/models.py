"""Phone systems that may post call events, the calls they tell of, and each event once.

A phone system is known by a secret token in its URL; only a hash of the token is
stored, so the database alone cannot post events. A call is one row per
``callId`` of a phone system; each of its events (``newCall``, ``answer``,
``hangup``) is stored once, which is what makes a bridge's retry harmless.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import CallDirection, Contact, Organisation, PhoneCall
from scheduling.models import Callback


class PhoneSystem(models.Model):
    """A phone system (or its bridge) that posts call events with its own token."""

    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    #: The token's first characters, so a manager can tell two tokens apart.
    token_hint = models.CharField(_("token starts with"), max_length=8, editable=False)
    signing_secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "When set, every post must carry the header X-Signature: sha256=<HMAC-SHA256 "
            "of the body with this secret, in hex>."
        ),
    )
    allowed_networks = models.TextField(
        _("allowed addresses"),
        blank=True,
        help_text=_(
            "One address or network per line (e.g. 192.0.2.10 or 192.0.2.0/24). Empty: any."
        ),
    )
    book_missed_callbacks = models.BooleanField(
        _("book callbacks for missed calls"),
        default=True,
        help_text=_("A missed call from a number that can be called back gets a callback."),
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone system")
        verbose_name_plural = _("phone systems")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Extension(models.Model):
    """The extension (or phone-system login) a staff member answers calls on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="phone_extension",
    )
    number = models.CharField(
        _("extension"),
        max_length=100,
        unique=True,
        help_text=_("As the phone system sends it in answeringNumber, e.g. 201 or sanne@pso.nl."),
    )

    class Meta:
        verbose_name = _("phone extension")
        verbose_name_plural = _("phone extensions")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class BlockedNumber(models.Model):
    """A number whose calls the phone system is told to reject (Zammad's ``reject`` answer)."""

    number = models.CharField(_("number"), max_length=20, unique=True, help_text=_("E.164 form."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("blocked number")
        verbose_name_plural = _("blocked numbers")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class HangupCause(models.TextChoices):
    NORMAL = "normalClearing", _("Ended normally")
    BUSY = "busy", _("Busy")
    CANCEL = "cancel", _("Caller hung up")
    NO_ANSWER = "noAnswer", _("Not answered")
    CONGESTION = "congestion", _("Network busy")
    NOT_FOUND = "notFound", _("Number not found")
    FORWARDED = "forwarded", _("Forwarded")


class Call(models.Model):
    """One call as the phone system told it: when it rang, was answered and ended."""

    system = models.ForeignKey(
        PhoneSystem, verbose_name=_("phone system"), on_delete=models.PROTECT, related_name="calls"
    )
    call_id = models.CharField(_("call id"), max_length=250)
    direction = models.CharField(
        _("direction"), max_length=3, choices=CallDirection.choices, default=CallDirection.INBOUND
    )
    from_raw = models.CharField(_("from (as sent)"), max_length=40, blank=True)
    to_raw = models.CharField(_("to (as sent)"), max_length=40, blank=True)
    #: The other party's number in E.164 form; empty when anonymous or not a number.
    number = models.CharField(_("number"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    users = models.JSONField(_("users"), default=list, blank=True)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=20, choices=HangupCause.choices, blank=True)
    answering_number = models.CharField(_("answered on"), max_length=100, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.SET_NULL, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    inside_phone_hours = models.BooleanField(_("inside phone hours"), default=True)
    missed = models.BooleanField(_("missed"), default=False)
    phone_call = models.OneToOneField(
        PhoneCall,
        verbose_name=_("logged call"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telephony_call",
    )
    callback = models.ForeignKey(
        Callback,
        verbose_name=_("callback"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telephony_calls",
    )

    class Meta:
        verbose_name = _("call from the phone system")
        verbose_name_plural = _("calls from the phone system")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["system", "call_id"], name="call_id_once_per_system")
        ]
        indexes = [
            models.Index(fields=["started_at"], name="telephony_call_started"),
            # The pop-up's one query: calls still going, newest first. Only those rows are
            # in this index, so it stays a handful of entries however long the log grows.
            models.Index(
                fields=["-started_at"],
                condition=Q(ended_at__isnull=True),
                name="telephony_call_ringing",
            ),
            models.Index(fields=["number"], name="telephony_call_number"),
        ]

    def __str__(self) -> str:
        return f"{self.call_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta:
        """How long the helpdesk talked: from the answer to the hangup (0 when unanswered)."""
        if self.answered_at is None or self.ended_at is None:
            return dt.timedelta()
        return max(self.ended_at - self.answered_at, dt.timedelta())

    @property
    def is_ringing(self) -> bool:
        return self.ended_at is None and self.answered_at is None


class CallEventKind(models.TextChoices):
    NEW_CALL = "newCall", _("Rings")
    ANSWER = "answer", _("Answered")
    HANGUP = "hangup", _("Ended")


class CallEvent(models.Model):
    """One event of a call, stored once: a repeat is answered as the first one was."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="events"
    )
    system = models.ForeignKey(
        PhoneSystem, verbose_name=_("phone system"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=10, choices=CallEventKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    #: What the phone system was answered ({} or the reject), given again to a retry.
    answer = models.JSONField(_("answer"), default=dict)
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="call_event_once")]
        # Counting a phone system's events of the last minute (the storm limit).
        indexes = [models.Index(fields=["system", "received_at"], name="telephony_event_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.call_id}"
