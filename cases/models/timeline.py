"""What happened on a case: calls, notes and every change, each with who and when.

Changes are stored as field names and raw values (not translated labels), so the
trail stays readable in any language and survives a renamed label.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class CallDirection(models.TextChoices):
    INBOUND = "in", _("Incoming")
    OUTBOUND = "out", _("Outgoing")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    CALLBACK = "callback", _("Callback requested")
    MESSAGE = "message", _("Message taken")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class PhoneCall(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="calls"
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=CallDirection.choices, default=CallDirection.INBOUND
    )
    number = models.CharField(_("phone number"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    duration = models.DurationField(_("duration"), default=dt.timedelta)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=CallOutcome.choices, default=CallOutcome.ANSWERED
    )
    # Empty for a call the phone system logged by itself (a missed call).
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    inside_phone_hours = models.BooleanField(_("inside phone hours"))
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.number} {self.started_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="notes"
    )
    # Empty for a note the helpdesk wrote by itself (a missed call without a free slot).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class ChangeCause(models.TextChoices):
    """Why the helpdesk itself changed a case, when no person did (blank: a person did)."""

    PERSON = "", _("a person")
    URGENT_SUBJECT = "urgent_subject", _("automatic: urgent word in the subject")
    CUSTOMER_MAIL = "customer_mail", _("email from the customer")
    CALLBACK = "callback", _("callback")


class CaseChange(models.Model):
    """One field of a case changed: who, when, from what, to what (raw values).

    ``cause`` names what changed it when no person did, so an automatic change is
    never mistaken for one by a colleague whose account has since been removed.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), db_index=True)
    field = models.CharField(_("field"), max_length=40)
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    cause = models.CharField(
        _("cause"), max_length=20, choices=ChangeCause.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("case change")
        verbose_name_plural = _("case changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
