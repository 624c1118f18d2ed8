"""The mailbox form of the settings page: configuration only, never a secret."""

from __future__ import annotations

from django import forms

from mailboxes.models import Mailbox
from mailboxes.services import CONFIGURATION_FIELDS


class MailboxForm(forms.ModelForm):
    """Names where the secret is (a MAILBOX_ variable or a file); the secret itself is never
    asked for, so it is never stored or shown back."""

    class Meta:
        model = Mailbox
        fields = CONFIGURATION_FIELDS
