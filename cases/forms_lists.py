"""Forms of the case list and of one's own settings: saving a filter, the profile."""

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
        text = self.cleaned_data["signature"].replace("\r\n", "\n").strip()
        if "\x00" in text:
            raise forms.ValidationError(_("The signature holds a character that cannot be sent."))
        return text
