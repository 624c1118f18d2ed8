"""People who contact the helpdesk, and the phone numbers we know them by."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.organisations import Organisation


class Contact(models.Model):
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["email"]),
            # Lists and the caller search show contacts by name: the first ten of
            # thousands that match a number fragment are read in this order.
            models.Index(fields=["name", "id"], name="contact_name_id"),
        ]

    def __str__(self) -> str:
        return self.name


class PhoneNumber(models.Model):
    """A phone number in E.164 form, belonging to a contact or an organisation.

    Numbers are normalised on the way in (``cases.phones.normalise``), so every
    Dutch notation of one number is one row value and lookups are exact matches.
    """

    number = models.CharField(_("number"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=40, blank=True)
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(contact__isnull=False, organisation__isnull=True)
                    | Q(contact__isnull=True, organisation__isnull=False)
                ),
                name="phone_belongs_to_contact_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.number
