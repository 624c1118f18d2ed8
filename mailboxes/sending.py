"""Sending the helpdesk's mail through Microsoft 365: Django email backends.

Chosen with ``EMAIL_BACKEND`` (docs/mailboxes.md); the mailbox named by
``settings.MAILBOX_SENDING`` supplies the Microsoft 365 app that signs in:

* ``GraphEmailBackend``: Graph ``sendMail`` with the whole MIME message, so our own
  Message-ID, In-Reply-To, References, the loop header and Auto-Submitted leave exactly
  as the helpdesk wrote them (Bcc travels as a header, which Exchange removes on sending);
* ``XOAuth2SMTPBackend``: Django's SMTP backend signing in with ``AUTH XOAUTH2`` and a
  token instead of a password (Exchange Online no longer takes passwords for SMTP), TLS
  verified as for the mailboxes.

The SMTP and anymail backends remain as they were; these are used only when chosen.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils.functional import cached_property

from mailboxes.credentials import secret_read
from mailboxes.google import google_token
from mailboxes.graph_poll import graph_client
from mailboxes.models import Auth, Mailbox
from mailboxes.problems import MailboxError, Problem
from mailboxes.tls import tls_context
from mailboxes.tokens import IMAP_SCOPE, access_token


def sending_mailbox(*, google: bool = False) -> Mailbox:
    """The mailbox whose Microsoft 365 app (or, for SMTP, Google service account) sends
    (``MAILBOX_SENDING``)."""
    name = settings.MAILBOX_SENDING
    if not name:
        raise ImproperlyConfigured("MAILBOX_SENDING names no mailbox to send through.")
    mailbox = Mailbox.objects.filter(name=name).first()
    allowed = {Auth.MICROSOFT, Auth.GOOGLE} if google else {Auth.MICROSOFT}
    if mailbox is None or mailbox.auth not in allowed:
        raise ImproperlyConfigured(f"MAILBOX_SENDING={name}: no mailbox with an OAuth2 sign-in.")
    return mailbox


def mime_bytes(message: EmailMessage) -> bytes:
    """The message as sent, with Bcc kept as a header (Graph takes recipients from headers)."""
    mime = message.message()
    if message.bcc:
        mime["Bcc"] = ", ".join(message.bcc)
    return mime.as_bytes(linesep="\r\n")


class GraphEmailBackend(BaseEmailBackend):
    """Sends each message with Graph ``POST /users/{mailbox}/sendMail`` as raw MIME."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        try:
            client = graph_client(sending_mailbox())
        except (MailboxError, ImproperlyConfigured):
            if self.fail_silently:
                return 0
            raise
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                client.send_mime(mime_bytes(message))
            except MailboxError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


def xoauth2(user: str, token: str) -> str:
    """The XOAUTH2 initial response (before smtplib's base64): user, then the bearer token."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


class XOAuth2SMTPBackend(SMTPBackend):
    """Django's SMTP backend, signed in with ``AUTH XOAUTH2`` (a token, never a password)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password = ""  # never sent: the token is the credential

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        return tls_context(settings.MAILBOX_CA_FILE)

    def open(self) -> bool | None:
        if self.connection:
            return False
        try:
            mailbox = sending_mailbox(google=True)
            if mailbox.auth == Auth.GOOGLE:
                token = google_token(secret=secret_read(mailbox), subject=mailbox.login)
            else:
                token = access_token(
                    tenant_id=mailbox.tenant_id,
                    client_id=mailbox.client_id,
                    secret=secret_read(mailbox),
                    scope=IMAP_SCOPE,
                )
        except (MailboxError, ImproperlyConfigured):
            if self.fail_silently:
                return False
            raise
        opened = super().open()
        if not self.connection:
            return opened
        user = self.username or mailbox.address
        try:
            self.connection.ehlo_or_helo_if_needed()
            self.connection.auth(
                "XOAUTH2", lambda challenge=None: "" if challenge else xoauth2(user, token)
            )
        except Exception as exc:
            self.close()
            if self.fail_silently:
                return False
            problem = Problem.GOOGLE_TOKEN if mailbox.auth == Auth.GOOGLE else Problem.TOKEN
            raise MailboxError(problem, str(exc)) from exc
        return True
