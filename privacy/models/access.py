"""The access log: who looked at or took out personal data, when, from where.

Append-only: the pages only ever insert, the administration shows it read-only,
and only the retention job deletes entries older than the policy's period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    CASE = "case", _("Case viewed")
    ORGANISATION = "organisation", _("Organisation viewed")
    CONTACT = "contact", _("Contact viewed")
    MAIL = "mail", _("Email viewed")
    ORIGINAL = "original", _("Mail original downloaded")
    ATTACHMENT = "attachment", _("Attachment downloaded")
    CSV = "csv", _("CSV exported")
    PERSON_SEARCH = "person_search", _("Person searched")
    PERSON_EXPORT = "person_export", _("Person's data exported")
    ACCESS_LOG = "access_log", _("Access log exported")


class AccessEntry(models.Model):
    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: Kept beside the key so the entry still names the user after the account is gone.
    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    kind = models.CharField(_("what"), max_length=16, choices=AccessKind.choices)
    #: The case reference, when the page names one.
    case_reference = models.CharField(_("case"), max_length=20, blank=True, db_index=True)
    #: The key of what was looked at (organisation, mail, attachment …).
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)
    #: The page without its query string (a search term can be personal data).
    path = models.CharField(_("page"), max_length=300, blank=True)
    #: For person searches and exports: a keyed digest of the address or number
    #: searched, never the value, so the log can be searched by person yet holds none.
    person_digest = models.CharField(_("person (digest)"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind}"
