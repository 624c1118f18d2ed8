"""What a staff reply is made of besides its text: canned answers, signatures, attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.mail import OutboundMessage


class CannedAnswer(models.Model):
    """A standard answer ("standaardantwoord") that managers keep, in Dutch and English.

    Staff insert it from the reply box by typing ``::`` and its short name, or by
    choosing it from the list. Placeholders in braces are filled in for the case:
    see ``cases.canned.PLACEHOLDERS``.
    """

    short_name = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("Typed after “::” in the reply box, e.g. aspirant for ::aspirant."),
    )
    title = models.CharField(_("title"), max_length=120)
    body_nl = models.TextField(_("text in Dutch"))
    body_en = models.TextField(_("text in English"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return f"::{self.short_name} — {self.title}"

    def body(self, language: str) -> str:
        """The text in ``language`` ("nl" or "en"); the Dutch when there is no English."""
        return self.body_en if language == "en" and self.body_en else self.body_nl


class Signature(models.Model):
    """A staff member's signature below their replies (without one: the helpdesk's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="mail_signature",
    )
    text = models.TextField(_("signature"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return str(self.user)


class HelpdeskSignature(models.Model):
    """The helpdesk-wide signature with the organisation's details, one row that managers
    keep: below the replies of staff members without a signature of their own.

    ``{naam}`` in the text becomes the name of the staff member who replies.
    """

    #: The one row's primary key.
    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    text_nl = models.TextField(_("signature in Dutch"))
    text_en = models.TextField(_("signature in English"), blank=True)
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
        verbose_name = _("helpdesk signature")
        verbose_name_plural = _("helpdesk signature")

    def __str__(self) -> str:
        return str(_("helpdesk signature"))

    def text(self, language: str) -> str:
        """The text in ``language`` ("nl" or "en"); the Dutch when there is no English."""
        return self.text_en if language == "en" and self.text_en else self.text_nl


class OutboundAttachment(models.Model):
    """A file sent with a reply, kept as the files that come with received mail are."""

    message = models.ForeignKey(
        OutboundMessage,
        verbose_name=_("sent email"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment sent")
        verbose_name_plural = _("attachments sent")
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename
