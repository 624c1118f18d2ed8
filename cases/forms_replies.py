"""The reply box of a case: recipients and copies, text, files, and when the page was read."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: At most this many addresses in one copy field.
MAX_COPIES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (none is fine)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _own_address(address: str) -> bool:
    return address.lower() in {a.lower() for a in settings.MAIL_HELPDESK_ADDRESSES}


class AddressListField(forms.CharField):
    """Addresses separated by commas or semicolons, as people paste them."""

    def clean(self, value):  # type: ignore[no-untyped-def]
        text = super().clean(value) or ""
        addresses = [a.strip() for a in text.replace(";", ",").split(",") if a.strip()]
        if len(addresses) > MAX_COPIES:
            raise forms.ValidationError(
                _("At most %(count)d addresses.") % {"count": MAX_COPIES}, code="too_many"
            )
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not an email address.") % {"address": address},
                    code="invalid",
                ) from None
            if _own_address(address):
                raise forms.ValidationError(_("This is the helpdesk's own address."))
        return addresses


class MailReplyForm(forms.Form):
    to = forms.EmailField(label=gettext_lazy("To"), max_length=254)
    cc = AddressListField(label=gettext_lazy("Cc"), required=False, max_length=2000)
    bcc = AddressListField(
        label=gettext_lazy("Bcc"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Blind copies: the other recipients do not see these addresses."),
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12, "data-reply-body": ""}),
        help_text=gettext_lazy("Type :: and the short name of a canned answer, e.g. ::aspirant."),
    )
    quote = forms.BooleanField(
        label=gettext_lazy("Include the previous message, quoted"), required=False, initial=True
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))
    #: When the page with the form was drawn: what arrived later is shown before sending.
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        # Its own ids: the case page also holds the note form, whose text is "body" too.
        kwargs.setdefault("auto_id", "reply-%s")
        super().__init__(*args, **kwargs)

    def clean_to(self) -> str:
        to = self.cleaned_data["to"]
        if _own_address(to):
            raise forms.ValidationError(_("This is the helpdesk's own address."))
        return to

    def clean_attachments(self) -> list:
        files = self.cleaned_data["attachments"]
        limit = settings.MAIL_MAX_ATTACHMENT_BYTES
        if sum(f.size for f in files) > limit:
            raise forms.ValidationError(
                _("The files together are larger than %(limit)s.")
                % {"limit": filesizeformat(limit)},
                code="too_large",
            )
        return files
