"""Organisations and their place on the PSO ladder over time."""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

kvk_validator = RegexValidator(
    r"^\d{8}$", _("A KvK number has exactly 8 digits."), code="invalid_kvk"
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Municipality")
    COMPANY = "bedrijf", _("Company")
    SW_COMPANY = "sw_bedrijf", _("SW company (sheltered employment)")
    PUBLIC = "overheid", _("Government / non-profit")
    OTHER = "overig", _("Other")


class PsoLevel(models.TextChoices):
    """The rungs of the PSO ladder, lowest first (the order is the rank)."""

    NONE = "none", _("None / self-scan")
    ASPIRANT = "aspirant", _("Aspirant")
    TREDE_1 = "trede_1", _("Trede 1")
    TREDE_2 = "trede_2", _("Trede 2")
    TREDE_3 = "trede_3", _("Trede 3")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[kvk_validator]
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email_domains = models.TextField(
        _("email domains"),
        blank=True,
        help_text=_("One domain per line, e.g. almelo.nl; used to recognise senders."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~Q(kvk_number=""),
                name="organisation_kvk_unique_when_present",
                violation_error_message=_("An organisation with this KvK number already exists."),
            ),
        ]
        indexes = [models.Index(fields=["kvk_number"])]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.splitlines() if d.strip()]

    def status_on(self, day: dt.date) -> PsoStatus | None:
        """The PSO status record in force on ``day`` (None: not assessed, or lapsed)."""
        return PsoStatus.objects.in_force_on(day).filter(organisation=self).first()


class PsoStatusQuerySet(models.QuerySet["PsoStatus"]):
    def in_force_on(self, day: dt.date) -> PsoStatusQuerySet:
        """Records in force on ``day``, the most recent first.

        A record is in force from its ``effective_from`` up to and including its
        ``valid_until`` (open-ended when empty). When records overlap, the one that
        took effect last wins: a new certificate replaces the old one.
        """
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), effective_from__lte=day
        ).order_by("-effective_from", "-id")


class PsoSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Register import")


class PsoStatus(models.Model):
    """One assessment outcome of an organisation, valid over a period.

    The history of these records is the organisation's path along the ladder;
    its status on any date is derived from them (see ``in_force_on``).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pso_statuses"
    )
    level = models.CharField(_("level"), max_length=10, choices=PsoLevel.choices)
    effective_from = models.DateField(_("effective from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reference = models.CharField(_("certificate or reference number"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=PsoSource.choices, default=PsoSource.MANUAL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PsoStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("PSO status")
        verbose_name_plural = _("PSO statuses")
        ordering = ["organisation", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("effective_from")),
                name="pso_status_valid_until_after_start",
                violation_error_message=_("'Valid until' cannot be before 'effective from'."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-effective_from"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.effective_from:%Y-%m-%d})"

    def expires_within(self, today: dt.date, days: int) -> bool:
        """True when this status ends within ``days`` days of ``today`` (and has not yet ended)."""
        return self.valid_until is not None and today <= self.valid_until <= today + dt.timedelta(
            days=days
        )
