"""Callbacks: the helpdesk's promise to call a caller back within a slot of phone hours."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars.models import Weekday
from cases.models import Case


class CallbackState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NO_ANSWER = "no_answer", _("No answer")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def open(cls) -> list[str]:
        """States in which a callback still takes a place in its slot."""
        return [cls.SCHEDULED, cls.IN_PROGRESS]


class Callback(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="callbacks"
    )
    number = models.CharField(_("phone number"), max_length=20, help_text=_("E.164 form."))
    slot_start = models.DateTimeField(_("slot starts at"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"))
    # What the caller was told first, kept when the callback moves to a later slot,
    # so reports measure the helpdesk against its promise.
    promised_slot_start = models.DateTimeField(_("first promised slot"), null=True, blank=True)
    promised_slot_end = models.DateTimeField(
        _("end of the first promised slot"), null=True, blank=True
    )
    completed_at = models.DateTimeField(
        _("completed at"), null=True, blank=True, help_text=_("When the last outcome was recorded.")
    )
    attempts = models.PositiveSmallIntegerField(_("calls without answer"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=CallbackState.choices, default=CallbackState.SCHEDULED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    requested_by_caller = models.BooleanField(_("caller asked to be called back"), default=False)
    requested_at = models.DateTimeField(_("time the caller asked for"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["slot_start", "created_at"]
        indexes = [
            models.Index(fields=["state", "slot_start"]),
            models.Index(fields=["promised_slot_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.slot_start:%Y-%m-%d %H:%M}"

    @property
    def slot_end(self) -> dt.datetime:
        return self.slot_start + dt.timedelta(minutes=self.slot_minutes)

    @property
    def is_open(self) -> bool:
        return self.state in CallbackState.open()


class CallbackDay(models.Model):
    """One row per phone day that has callbacks: the lock that serialises booking that day.

    Booking counts the callbacks in a slot and then adds one; two people doing
    that at once would both see a free place. Locking this row first (SELECT
    ... FOR UPDATE) makes the second wait and count again.
    """

    day = models.DateField(_("day"), primary_key=True)

    class Meta:
        verbose_name = _("callback day")
        verbose_name_plural = _("callback days")

    def __str__(self) -> str:
        return self.day.isoformat()


_STAFF_LIMIT = [MaxValueValidator(50)]


class CallbackWeekdayCapacity(models.Model):
    """How many staff are on the phone per slot on a weekday (0: no callbacks that day)."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    capacity = models.PositiveSmallIntegerField(_("callbacks per slot"), validators=_STAFF_LIMIT)

    class Meta:
        verbose_name = _("callback capacity per weekday")
        verbose_name_plural = _("callback capacity per weekday")
        ordering = ["weekday"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.capacity}"


class CallbackDateCapacity(models.Model):
    """A date's own callback capacity, overriding its weekday's (0: no callbacks that day)."""

    date = models.DateField(_("date"), unique=True)
    capacity = models.PositiveSmallIntegerField(_("callbacks per slot"), validators=_STAFF_LIMIT)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("callback capacity on a date")
        verbose_name_plural = _("callback capacity on dates")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.capacity}"
