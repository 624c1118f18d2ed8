"""How long the helpdesk keeps personal data, and the cases kept longer on purpose."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case

_MONTHS = [MinValueValidator(1), MaxValueValidator(240)]


class RetentionPolicy(models.Model):
    """The one retention policy (row 1), set by managers; the defaults are the advice.

    Periods run from the moment a case was resolved or closed (``Case.resolved_at``);
    a case that is reopened starts again when it is closed again.
    """

    anonymise_cases_after_months = models.PositiveSmallIntegerField(
        _("anonymise closed cases after (months)"), default=24, validators=_MONTHS
    )
    remove_originals_after_months = models.PositiveSmallIntegerField(
        _("remove mail originals and attachments after (months)"),
        default=12,
        validators=_MONTHS,
        help_text=_("Counted from closing the case; mail without a case from receiving it."),
    )
    anonymise_contacts_after_months = models.PositiveSmallIntegerField(
        _("anonymise contacts without cases after (months)"),
        default=24,
        validators=_MONTHS,
        help_text=_("A contact none of whose cases is kept any more, counted from creation."),
    )
    access_log_months = models.PositiveSmallIntegerField(
        _("keep the access log for (months)"), default=12, validators=_MONTHS
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")

    def __str__(self) -> str:
        return str(_("Retention policy"))


class LegalHold(models.Model):
    """A case kept as it is, whatever the retention policy says, until the hold is lifted."""

    case = models.OneToOneField(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="legal_hold",
    )
    reason = models.CharField(_("reason"), max_length=300)
    set_at = models.DateTimeField(_("set at"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return self.reason
