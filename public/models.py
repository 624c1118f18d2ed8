"""What managers set for the public pages, and files sent with a question from the web."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case

#: The settings are one row; this is its key.
SETTINGS_PK = 1


class PublicPages(models.Model):
    """Which public pages are open, the text above their forms, and how far ahead one may book."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SETTINGS_PK, editable=False)
    question_open = models.BooleanField(_("the question page is open"), default=True)
    callback_open = models.BooleanField(_("the callback page is open"), default=True)
    question_intro = models.TextField(
        _("text above the question form"),
        blank=True,
        help_text=_("Shown as written (no HTML); an empty field shows the standard text."),
    )
    callback_intro = models.TextField(
        _("text above the callback form"),
        blank=True,
        help_text=_("Shown as written (no HTML); an empty field shows the standard text."),
    )
    phone_days_ahead = models.PositiveSmallIntegerField(
        _("phone days that can be booked"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("How many coming phone days a caller can choose a callback time on."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("public pages")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(_("Public pages"))


class WithoutContent(models.Manager):
    """Lists of files never load their content; reading ``content`` fetches it on its own."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("content")


class WebAttachment(models.Model):
    """A file sent with a question on the public page, kept with its case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="web_attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type (as sent)"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("received at"))

    objects = WithoutContent()

    class Meta:
        verbose_name = _("attachment from the web")
        verbose_name_plural = _("attachments from the web")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename
