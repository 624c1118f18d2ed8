"""The password policy's own validators, where Django's need a hand."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its message in this project's catalogue.

    Django 5.2 changed the message ("%d" for "%(min_length)d") and its own Dutch
    catalogue still has only the old one, so the refusal showed in English. Asking for
    the message here puts it in the project's catalogue, where makemessages keeps it.
    """

    def get_error_message(self) -> str:
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )
