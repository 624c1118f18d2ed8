"""Forms of telephony: a phone system's settings, and the call log's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from telephony.models import PhoneSystem
from telephony.signing import networks_parse


class PhoneSystemForm(forms.ModelForm):
    class Meta:
        model = PhoneSystem
        fields = ["name", "signing_secret", "allowed_networks", "book_missed_callbacks"]
        widgets = {"allowed_networks": forms.Textarea(attrs={"rows": 3})}

    def clean_allowed_networks(self) -> str:
        text = self.cleaned_data["allowed_networks"]
        try:
            networks_parse(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(value)s” is not an address or network."),
                code="bad_network",
                params={"value": str(exc).split("'")[1] if "'" in str(exc) else text},
            ) from exc
        return text.strip()
