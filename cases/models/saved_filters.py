"""A filter of the case list saved under a name, for one person or shared with everyone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """The case list's query string under a name ("mijn spoedzaken").

    ``shared`` filters (only managers share) show in every colleague's list; the
    query string is stored as the list read it, and read again by the same filters,
    so a saved filter that no longer makes sense drops its own part, as a typed one does.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_case_filters",
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters (query string)"), max_length=1000)
    shared = models.BooleanField(_("shared with all staff"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_name_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name
