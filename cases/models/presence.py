"""Who has a case open right now, and whether they are writing a reply."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class CasePresence(models.Model):
    """The last sign of life of one person on one case's page (one row per pair).

    The page reports in every few seconds; a row older than the presence window
    (``cases.selectors_workspace.PRESENCE_WINDOW``) means the person has left.
    """

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    writing = models.BooleanField(_("writing a reply"), default=False)
    seen_at = models.DateTimeField(_("last seen at"))

    class Meta:
        verbose_name = _("presence on a case")
        verbose_name_plural = _("presence on cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="one_presence_per_case_and_user")
        ]
        indexes = [models.Index(fields=["case", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case_id}"
