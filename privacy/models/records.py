"""What privacy did: anonymised cases and contacts, retention runs, handled requests.

None of these rows holds personal data: they count and date what was done, so they
can be kept as the proof that it was done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Contact
from privacy.kinds import labelled


class AnonymisedCase(models.Model):
    """A case whose personal data was replaced; written in the same transaction."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="anonymised"
    )
    at = models.DateTimeField(_("anonymised at"))

    class Meta:
        verbose_name = _("anonymised case")
        verbose_name_plural = _("anonymised cases")

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"


class AnonymisedContact(models.Model):
    """A contact whose personal data was replaced; written in the same transaction."""

    contact = models.OneToOneField(
        Contact, on_delete=models.CASCADE, primary_key=True, related_name="anonymised"
    )
    at = models.DateTimeField(_("anonymised at"))

    class Meta:
        verbose_name = _("anonymised contact")
        verbose_name_plural = _("anonymised contacts")

    def __str__(self) -> str:
        return f"{self.contact_id} {self.at:%Y-%m-%d}"


class RetentionRun(models.Model):
    """One run of the retention job (or a dry run): when, and how many of each kind."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    #: kind → count, e.g. {"cases_anonymised": 12, "originals_removed": 40}
    counts = models.JSONField(_("counts"), default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return labelled(self.counts)


class PersonRequestKind(models.TextChoices):
    ACCESS = "access", _("Access (export)")
    ERASURE = "erasure", _("Erasure (anonymised)")


class PersonRequest(models.Model):
    """A person's request, handled: when, by whom, what kind, how many records.

    Deliberately without the person's name, address or number: the record must
    survive the erasure it documents.
    """

    handled_at = models.DateTimeField(_("handled at"), db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PersonRequestKind.choices)
    records = models.PositiveIntegerField(_("records"))
    counts = models.JSONField(_("records per kind"), default=dict)
    closed_cases = models.PositiveIntegerField(_("open cases closed first"), default=0)

    class Meta:
        verbose_name = _("person's request")
        verbose_name_plural = _("persons' requests")
        ordering = ["-handled_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.handled_at:%Y-%m-%d}"
