"""The record of one merge of a case into another: who, when, and which rows moved.

The record is what makes a merge reversible: undoing it moves exactly the rows listed
here back, and puts back what the merge changed on both cases (``before``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class CaseMerge(models.Model):
    """Case ``source`` merged into ``target`` (the survivor), and whether it was undone.

    ``moved`` maps a kind of row (``calls``, ``notes``, ``inbound``, ``outbound``,
    ``callbacks`` …) to the primary keys that moved; ``before`` holds the fields the
    merge changed (the source's status, the survivor's first-answer clock) as raw values.
    """

    source = models.ForeignKey(
        Case, verbose_name=_("merged case"), on_delete=models.PROTECT, related_name="merges_out"
    )
    target = models.ForeignKey(
        Case, verbose_name=_("surviving case"), on_delete=models.PROTECT, related_name="merges_in"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"))
    moved = models.JSONField(_("rows moved"), default=dict)
    before = models.JSONField(_("values before the merge"), default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case merge")
        verbose_name_plural = _("case merges")
        ordering = ["-merged_at", "-pk"]
        constraints = [
            # A case is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(undone_at__isnull=True),
                name="case_merge_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
