"""The forms of the public pages, each with a honeypot field and a signed start time.

A person needs a few seconds to fill in a form; a script posting at once, or
filling in the field people never see (``website``), is refused with the same
neutral message either way, so it learns nothing about which check stopped it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cases.intake.parsing.parts import safe_filename
from cases.intake.recipients import UndeliverableAddress, deliverable_address
from cases.models import Category
from cases.models.organisations import kvk_validator
from cases.phones import normalise
from public import tokens
from public.services import Upload, Visitor

#: The value of the slot choice that asks for the first free time.
FIRST_FREE = "first"
#: How long a drawn form may be sent back (the signed start time's age).
FORM_MAX_AGE = 6 * 60 * 60
#: New at every start of the process: blank fields drawn by earlier code are never reused.
_PROCESS_DRAWING = secrets.token_hex(8)


class GuardedForm(forms.Form):
    """Honeypot and minimum fill time; ``is_bot()`` tells after ``is_valid()``."""

    # Off screen for people (public/static CSS), a plain text field for a script.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = tokens.started_token(time.time())

    def is_bot(self) -> bool:
        """A filled honeypot, a start time that is not ours, or a form sent back too fast."""
        data = self.data
        if (data.get("website") or "").strip():
            return True
        started = tokens.started_at(data.get("started") or "", FORM_MAX_AGE)
        return started is None or time.time() - started < settings.PUBLIC_MIN_FILL_SECONDS

    def fresh(self) -> None:
        """Draw the form again with a new start time (after a refusal)."""
        self.data = self.data.copy()
        self.data["started"] = tokens.started_token(time.time())


class VisitorForm(GuardedForm):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )
    kvk_number = forms.CharField(
        label=_("KvK number (optional)"),
        max_length=12,
        required=False,
        help_text=_("8 digits; helps us find your organisation's PSO status."),
    )
    email = forms.EmailField(label=_("Email address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.filter(active=True),
        required=False,
        empty_label=_("Choose a topic (optional)"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One query for the topics, drawn from the list and also naming the blank fields.
        field = self.fields["category"]
        topics = list(field.queryset.values_list("pk", "name"))
        field.choices = [("", field.empty_label), *topics]
        self.blank_key = hashlib.blake2b(
            repr((_PROCESS_DRAWING, type(self).__name__, topics)).encode(), digest_size=12
        ).hexdigest()

    def clean_kvk_number(self) -> str:
        kvk = "".join((self.cleaned_data.get("kvk_number") or "").split())
        if kvk:
            kvk_validator(kvk)
        return kvk

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        return normalise(raw) if raw.strip() else ""

    def clean_email(self) -> str:
        """An address the confirmation can be sent to, and not the helpdesk's own."""
        email = self.cleaned_data.get("email") or ""
        if not email:
            return ""
        if email.lower() in {a.lower() for a in settings.MAIL_HELPDESK_ADDRESSES}:
            raise ValidationError(_("Give your own email address, not the helpdesk's."))
        try:
            return deliverable_address(email)
        except UndeliverableAddress as exc:
            raise ValidationError(exc.reason) from None

    def visitor(self) -> Visitor:
        data = self.cleaned_data
        return Visitor(
            name=" ".join(data["name"].split()),
            email=data.get("email") or "",
            number=data.get("phone") or "",
            organisation_name=" ".join((data.get("organisation") or "").split()),
            kvk_number=data.get("kvk_number") or "",
        )


class QuestionForm(VisitorForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    question = forms.CharField(
        label=_("Your question"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("One file, at most %(mb)d MB.")
        % {"mb": settings.PUBLIC_MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    field_order = ["name", "organisation", "kvk_number", "email", "phone", "category", "subject"]

    def clean_attachment(self) -> Upload | None:
        file: UploadedFile | None = self.cleaned_data.get("attachment")
        if not file:
            return None
        # The same limit mail intake keeps attachments to, never more.
        limit = min(settings.PUBLIC_MAX_ATTACHMENT_BYTES, settings.MAIL_MAX_ATTACHMENT_BYTES)
        if file.size > limit:
            raise ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        name = safe_filename(file.name or "") or "bijlage"
        return Upload(filename=name, content_type=file.content_type or "", content=file.read())

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("phone"):
            raise ValidationError(
                _("Give an email address or a phone number, so we can answer you."),
                code="no_way_to_answer",
            )
        return data


class CallbackForm(VisitorForm):
    """A callback: who, the number, and a free time (or the first free one)."""

    question = forms.CharField(
        label=_("What is it about? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    slot = forms.CharField(label=_("Callback time"), max_length=40)

    field_order = ["name", "organisation", "kvk_number", "phone", "email", "category", "question"]

    def __init__(self, *args, last_day: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["phone"].label = _("Phone number to call back")
        self.fields["email"].label = _("Email address (optional, for the confirmation)")
        self.last_day = last_day
        self.fields["slot"].initial = FIRST_FREE

    def clean_phone(self) -> str:
        return normalise(self.cleaned_data.get("phone") or "")

    def clean_slot(self) -> dt.datetime | None:
        return clean_slot_value(self.cleaned_data.get("slot") or "", self.last_day)


def clean_slot_value(value: str, last_day: dt.date | None) -> dt.datetime | None:
    """None for "the first free time", else the aware instant of an offered slot."""
    if value == FIRST_FREE:
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Choose one of the times shown."), code="bad_slot") from None
    if at.tzinfo is None or (last_day is not None and at.astimezone(dt.UTC).date() > last_day):
        raise ValidationError(_("Choose one of the times shown."), code="bad_slot")
    return at


class MoveForm(forms.Form):
    """Moving a callback: reached only through the signed link, so no fill-time check."""

    slot = forms.CharField(label=_("New callback time"), max_length=40)

    def __init__(self, *args, last_day: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.last_day = last_day

    def clean_slot(self) -> dt.datetime:
        at = clean_slot_value(self.cleaned_data.get("slot") or "", self.last_day)
        if at is None:
            raise ValidationError(_("Choose one of the times shown."), code="bad_slot")
        return at


class CancelForm(forms.Form):
    """Cancelling a callback: a button behind the signed link."""
