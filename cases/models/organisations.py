"""Organisations and their place on the PSO ladder over time."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

kvk_validator = RegexValidator(
    # ASCII digits only: \d also matches full-width and Arabic-Indic digits, and $
    # lets a trailing newline through.
    r"\A[0-9]{8}\Z",
    _("A KvK number has exactly 8 digits."),
    code="invalid_kvk",
)

#: Domains of free email providers: anyone can have an address there, so they say
#: nothing about which organisation a sender belongs to and must not be used to
#: recognise one.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.nl",
        "outlook.com",
        "outlook.nl",
        "live.com",
        "live.nl",
        "msn.com",
        "yahoo.com",
        "yahoo.nl",
        "icloud.com",
        "me.com",
        "ziggo.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "planet.nl",
        "home.nl",
        "hetnet.nl",
        "xs4all.nl",
        "caiway.nl",
        "telfort.nl",
        "upcmail.nl",
        "chello.nl",
        "zonnet.nl",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
    }
)

_domain_validator = DomainNameValidator(accept_idna=False)


def parse_email_domains(text: str) -> list[str]:
    """The email domains in ``text``: lowercased, without duplicates, in the order given.

    Domains are separated by new lines (commas, semicolons and spaces are accepted
    too); a leading ``@`` is dropped. Raises ``ValidationError`` naming every entry
    that is not a domain or is a free-mail domain (see ``FREE_MAIL_DOMAINS``).
    """
    domains: list[str] = []
    errors: list[ValidationError] = []
    for raw in re.split(r"[\s,;]+", text or ""):
        domain = raw.strip().lstrip("@").rstrip(".").lower()
        if not domain:
            continue
        if domain in FREE_MAIL_DOMAINS:
            errors.append(
                ValidationError(
                    _(
                        "“%(domain)s” is a free email provider; anyone can have an address "
                        "there. Enter the organisation's own domain."
                    ),
                    code="free_mail_domain",
                    params={"domain": domain},
                )
            )
        elif "." not in domain or not _is_domain(domain):
            errors.append(
                ValidationError(
                    _("“%(domain)s” is not an email domain (such as almelo.nl)."),
                    code="invalid_domain",
                    params={"domain": domain},
                )
            )
        elif domain not in domains:
            domains.append(domain)
    if errors:
        raise ValidationError(errors)
    return domains


def _is_domain(domain: str) -> bool:
    try:
        _domain_validator(domain)
    except ValidationError:
        return False
    return True


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

    # The status in force, kept from the history by cases.services.pso so lists can
    # filter on it (cases.pso_now): level and end date of the record in force
    # (level None: none), and the days from ``pso_now_since`` through
    # ``pso_now_through`` (None: open-ended) on which that is the answer. Outside
    # those days (or with ``pso_now_since`` empty: never worked out) readers
    # derive the status from the history instead.
    pso_level_now = models.CharField(
        _("PSO level now"), max_length=10, choices=PsoLevel.choices, null=True, editable=False
    )
    pso_valid_until_now = models.DateField(
        _("PSO status now valid until"), null=True, editable=False
    )
    pso_now_since = models.DateField(_("PSO level now holds from"), null=True, editable=False)
    pso_now_through = models.DateField(_("PSO level now holds through"), null=True, editable=False)

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
        indexes = [
            models.Index(fields=["kvk_number"]),
            models.Index(fields=["name", "id"], name="organisation_name_id"),
            models.Index(fields=["pso_level_now"], name="organisation_pso_level_now"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Normalise the email domains; a KvK number may belong to one organisation only.

        The duplicate check names the organisation that has the number, so whoever
        typed it can tell a typo from a double entry.
        """
        errors: dict[str, ValidationError] = {}
        try:
            self.email_domains = "\n".join(parse_email_domains(self.email_domains))
        except ValidationError as exc:
            errors["email_domains"] = exc
        if self.kvk_number:
            other = (
                Organisation.objects.filter(kvk_number=self.kvk_number)
                .exclude(pk=self.pk)
                .only("name")
                .first()
            )
            if other is not None:
                errors["kvk_number"] = ValidationError(
                    _("KvK number %(kvk)s already belongs to “%(name)s”."),
                    code="duplicate_kvk",
                    params={"kvk": self.kvk_number, "name": other.name},
                )
        if errors:
            raise ValidationError(errors)

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
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="pso_statuses",
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
