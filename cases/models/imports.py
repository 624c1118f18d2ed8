"""A register import as it goes through the worker: the file, where it is, and what it found."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked, waiting for confirmation")
    REJECTED = "rejected", _("not importable")
    WRITE_QUEUED = "write_queued", _("waiting to be imported")
    WRITING = "writing", _("being imported")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("stopped by an error")


#: The states in which the worker still has something to do.
RUNNING_STATES = (
    ImportState.CHECK_QUEUED,
    ImportState.CHECKING,
    ImportState.WRITE_QUEUED,
    ImportState.WRITING,
)


class OrganisationImport(models.Model):
    """One uploaded register export: checked in the background, written once confirmed.

    The file itself is kept with the import, so what is written is byte for byte
    what was checked (``digest``), and no large upload waits in a session.
    The ``report`` holds the outcome as the page shows it (see
    ``cases.importing.report.report_summary``): counts of everything, and the first
    rows and problems only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))
    digest = models.CharField(_("SHA-256 of the file"), max_length=64)
    state = models.CharField(
        _("state"), max_length=16, choices=ImportState.choices, default=ImportState.CHECK_QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    report = models.JSONField(_("outcome"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("worker started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES
