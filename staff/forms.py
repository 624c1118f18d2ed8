"""Forms of sign-in and of staff management, and the mail that lets someone choose a password."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from staff.notify import staff_mail_send
from staff.selectors import Role
from staff.throttle import throttle_allows

logger = logging.getLogger(__name__)

PASSWORD_MAIL_SUBJECT = "registration/password_reset_subject.txt"
PASSWORD_MAIL_TEXT = "registration/password_reset_email.txt"


def password_mail_send(*, user: AbstractBaseUser) -> bool:
    """Mail ``user`` a one-time link to choose a (new) password; ``False`` if it did not go.

    The same mail as "forgot your password", sent by a manager: for a new account it
    invites the person to choose their first password.
    """
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return _mail_send(PASSWORD_MAIL_SUBJECT, PASSWORD_MAIL_TEXT, context, user.email)


def _mail_send(subject_template: str, text_template: str, context: dict, to: str) -> bool:
    context = {
        **context,
        # Links use the configured public address, never the Host header of the request.
        "site_url": settings.SITE_URL,
        "first_password": not context["user"].has_usable_password(),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string(subject_template, context)
    text = render_to_string(text_template, context)
    try:
        return staff_mail_send(to=[to], subject=subject, text=text) > 0
    except Exception:
        # The mail server being away must not turn the page into an error (nor, on the
        # public form, tell whether an address has an account).
        logger.exception("Failed to send the password mail to user %s", context["user"].pk)
        return False


class StaffPasswordResetForm(PasswordResetForm):
    """Django's "forgot your password" form, mailing through the helpdesk's staff mail."""

    def get_users(self, email: str) -> Iterator[AbstractBaseUser]:
        # Django skips accounts without a usable password; here those are new accounts
        # whose first mail was lost or expired, and they may ask for a fresh link.
        field = get_user_model().get_email_field_name()
        users = get_user_model()._default_manager.filter(
            **{f"{field}__iexact": email, "is_active": True}
        )
        return (user for user in users if getattr(user, field).casefold() == email.casefold())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Mail the link, but no more than ``PASSWORD_RESET_MAILS_PER_HOUR`` to one account.

        Someone who keeps asking for an account that is not theirs fills that
        person's inbox no further; the page says the same either way.
        """
        user = context["user"]
        if not throttle_allows(
            key=f"password-reset-mail:{user.pk}",
            limit=settings.PASSWORD_RESET_MAILS_PER_HOUR,
            window_seconds=3600,
        ):
            logger.warning("Password mail to user %s held back: too many this hour", user.pk)
            return
        _mail_send(subject_template_name, email_template_name, context, to_email)


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TwoFactorConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class StaffMemberCreateForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "username", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The mail with the link to choose a password is how a new account starts.
        for name in ("first_name", "email"):
            self.fields[name].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Another account already has this email address."))
        return email


class StaffMemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class StaffMemberActiveForm(forms.Form):
    active = forms.BooleanField(required=False)
