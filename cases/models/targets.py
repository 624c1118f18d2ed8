"""Configuration of the first-answer targets and of what makes a mail urgent.

Managers change these rows in the administration. A case copies its target when
it is opened (``Case.sla_target``), so a changed target applies to new cases only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Channel, Priority

#: The longest target a manager may set: beyond this it is no longer a promise.
MAX_WORKING_TIME = dt.timedelta(hours=8 * 20)


class SlaTarget(models.Model):
    """How much working time (office hours) the helpdesk allows for the first answer."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    working_time = models.DurationField(
        _("working time"),
        help_text=_(
            "Office time allowed for the first answer, e.g. 8:00:00 for one working day "
            "of 8 hours. Applies to cases opened after the change."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        # Moved here from the scheduling app; the table kept its name.
        db_table = "scheduling_slatarget"
        verbose_name = _("response target")
        verbose_name_plural = _("response targets")
        ordering = ["channel", "-priority"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "priority"], name="sla_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} / {self.get_priority_display()}: {self.working_time}"

    def clean(self) -> None:
        if self.working_time is None:
            return
        if self.working_time <= dt.timedelta():
            raise ValidationError(
                {"working_time": _("A target must be more than zero working time.")}
            )
        if self.working_time > MAX_WORKING_TIME:
            raise ValidationError(
                {"working_time": _("A target can be at most 20 working days of 8 hours.")}
            )
        if self.working_time % dt.timedelta(minutes=1):
            raise ValidationError({"working_time": _("Give the target in whole minutes.")})


class UrgencyKeyword(models.Model):
    """A word that makes a mail urgent when its subject contains it as a whole word."""

    word = models.CharField(
        _("word"),
        max_length=50,
        unique=True,
        help_text=_(
            "Matched as a whole word, in any case: “spoed” matches “SPOED: certificaat” "
            "but not “spoedcursus”."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "scheduling_urgencykeyword"
        verbose_name = _("urgency word")
        verbose_name_plural = _("urgency words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word

    def clean(self) -> None:
        self.word = (self.word or "").strip().lower()
        if not self.word:
            raise ValidationError({"word": _("Enter a word.")})
