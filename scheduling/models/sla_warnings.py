"""The record of warnings about the first-answer target, one row per case and kind.

The row is the claim: it is inserted before the mail goes out, and the unique
constraint on (case, kind) makes every warning go out at most once however often
the five-minute job runs, overlaps or is retried (``scheduling.sla_warnings``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class SlaWarningKind(models.TextChoices):
    APPROACHING = "approaching", _("Answer due soon")
    BREACHED = "breached", _("Answer overdue")


class SlaWarning(models.Model):
    """One warning mailed about one case's first-answer target."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sla_warnings"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SlaWarningKind.choices)
    due_at = models.DateTimeField(_("answer due at"), help_text=_("The due time warned about."))
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("Email addresses, one per line.")
    )

    class Meta:
        verbose_name = _("target warning")
        verbose_name_plural = _("target warnings")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="sla_warning_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
