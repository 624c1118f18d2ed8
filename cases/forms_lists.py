"""Forms of the case list and of one's own settings: saving a filter, the profile, and the
helpdesk's signature that managers keep."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SavedFilterForm(forms.Form):
    """A name for the case list's current filters (and, for managers, sharing them)."""

    name = forms.CharField(label=_("Name for these filters"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    shared = forms.BooleanField(label=_("Share with all staff"), required=False)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the filter a name."), code="empty_name")
        return name


class ProfileForm(forms.Form):
    """What a staff member sets for themselves: their name as colleagues see it, and
    the signature below their replies (empty: the helpdesk's signature)."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    signature = forms.CharField(
        label=_("Signature below your replies"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave empty to use the helpdesk's signature (shown below)."),
    )

    def clean_signature(self) -> str:
        return _signature_text(self.cleaned_data["signature"])


def _signature_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise forms.ValidationError(_("The signature holds a character that cannot be sent."))
    return text


class HelpdeskSignatureForm(forms.Form):
    """The helpdesk's signature, with the organisation's details, in Dutch and English."""

    text_nl = forms.CharField(
        label=_("Signature in Dutch"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("{naam} becomes the name of the staff member who replies."),
    )
    text_en = forms.CharField(
        label=_("Signature in English"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("For replies in English; empty: the Dutch signature is used."),
    )

    def clean_text_nl(self) -> str:
        return _signature_text(self.cleaned_data["text_nl"])

    def clean_text_en(self) -> str:
        return _signature_text(self.cleaned_data["text_en"])
