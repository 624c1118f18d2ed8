"""Google Workspace over IMAP: a service account with domain-wide delegation signs a JWT,
trades it at Google's token endpoint (a stand-in following Google's documented shapes) and
signs in with ``AUTHENTICATE XOAUTH2`` to a real Dovecot that checks the token; sending
through smtp.gmail.com's way (SMTP with XOAUTH2) against a real SMTP server on loopback."""

from __future__ import annotations

import base64
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection

from cases.models import InboundMessage
from mailboxes.google import GMAIL_SCOPE, google_token
from mailboxes.models import Auth, Kind
from mailboxes.polling import mailbox_check, mailbox_poll
from mailboxes.problems import MailboxError, Problem
from tests.factories import MailboxFactory
from tests.mailboxes.google import CLIENT_EMAIL
from tests.mailboxes.mail import message
from tests.mailboxes.smtp import AuthResult
from tests.mailboxes.test_sending import smtp_controller

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mailbox(dovecot, google):
    user = dovecot.new_user()
    dovecot.introspection.user_of = google.user_of
    yield MailboxFactory(
        port=dovecot.imaps_port,
        security="tls",
        username=user,
        auth=Auth.GOOGLE,
        secret_env="MAILBOX_TEST_GOOGLE_KEY",
    )
    dovecot.introspection.user_of = lambda token: None


def test_a_service_account_token_signs_in_with_xoauth2_and_the_mail_is_taken_in(
    dovecot, mailbox, google
):
    dovecot.deliver(mailbox.username, [message(1), message(2)])

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (2, None)
    assert InboundMessage.objects.count() == 2
    assert dovecot.uids(mailbox.username, "INBOX") == []
    [claims] = google.state.assertions
    assert claims["iss"] == CLIENT_EMAIL
    assert claims["sub"] == mailbox.username  # acting for the mailbox's user
    assert claims["scope"] == GMAIL_SCOPE
    assert claims["aud"] == google.token_url
    assert 0 < claims["exp"] - claims["iat"] <= 3600


def test_the_token_is_kept_until_shortly_before_it_expires(dovecot, mailbox, google):
    mailbox_poll(mailbox=mailbox)
    mailbox_poll(mailbox=mailbox)
    assert google.state.token_requests == 1

    token, _expiry = next(iter(google.state.tokens.items()))
    from mailboxes import google as tokens

    [key] = tokens._tokens
    tokens._tokens[key] = (token, time.time() + 30)  # within the last minute: asked again
    mailbox_poll(mailbox=mailbox)
    assert google.state.token_requests == 2


def test_a_revoked_token_is_shown_and_a_new_one_is_asked_for_on_the_next_poll(
    dovecot, mailbox, google
):
    dovecot.deliver(mailbox.username, [message(1)])
    mailbox_poll(mailbox=mailbox)
    google.revoke_tokens()  # Dovecot no longer accepts it; our cache still holds it
    dovecot.deliver(mailbox.username, [message(2)])

    refused = mailbox_poll(mailbox=mailbox)
    mailbox.refresh_from_db()
    shown = mailbox.problem
    again = mailbox_poll(mailbox=mailbox)

    assert refused.error.problem == Problem.GOOGLE_TOKEN
    assert shown == Problem.GOOGLE_TOKEN
    assert (again.taken_in, again.error) == (1, None)
    assert google.state.token_requests == 2


def test_missing_delegation_is_shown_in_googles_words_and_nothing_is_taken_in(
    dovecot, mailbox, google
):
    google.state.delegated = set()  # the Admin console step was not done
    dovecot.deliver(mailbox.username, [message(1)])

    with pytest.raises(MailboxError) as refused:
        mailbox_check(mailbox=mailbox)
    report = mailbox_poll(mailbox=mailbox)

    assert refused.value.problem == Problem.GOOGLE_TOKEN
    assert refused.value.detail.startswith("unauthorized_client: Client is unauthorized")
    assert report.error.problem == Problem.GOOGLE_TOKEN
    assert InboundMessage.objects.count() == 0
    assert len(dovecot.uids(mailbox.username, "INBOX")) == 1  # left for the next poll


@pytest.mark.parametrize(
    "key",
    [
        "not json at all",
        '{"type": "authorized_user", "client_id": "x", "refresh_token": "y"}',
        '{"type": "service_account", "client_email": "a@b", "private_key": "not a key"}',
    ],
)
def test_a_key_that_is_not_a_service_accounts_is_a_clear_error(google, monkeypatch, key):
    monkeypatch.setenv("MAILBOX_TEST_GOOGLE_KEY", key)
    with pytest.raises(MailboxError) as refused:
        google_token(secret=key, subject="info@pso.test")
    assert refused.value.problem == Problem.SECRET_MISSING
    assert google.state.token_requests == 0  # nothing sent to Google


def test_a_google_service_account_signs_in_over_imap_only():
    mailbox = MailboxFactory.build(kind=Kind.GRAPH, auth=Auth.GOOGLE)
    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()
    assert "auth" in refused.value.message_dict


class GoogleSMTP:
    """Accepts XOAUTH2 with a token the Google stand-in handed out for the sender."""

    def __init__(self, google) -> None:
        self.google = google
        self.auth: list[str] = []
        self.received: list[bytes] = []

    async def auth_XOAUTH2(self, server, args):  # noqa: N802 - aiosmtpd's naming
        response = base64.b64decode(args[1]).decode()
        self.auth.append(response)
        user, bearer = response.split("\x01")[:2]
        sub = self.google.user_of(bearer.removeprefix("auth=Bearer "))
        return AuthResult(success=sub is not None and user == f"user={sub}", handled=False)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope.original_content)
        return "250 OK"


def test_smtp_sends_as_the_workspace_mailbox_with_a_service_account_token(
    google, certificates, settings
):
    settings.MAILBOX_SENDING = "info"
    MailboxFactory(
        name="info",
        address="info@pso-nederland.nl",
        host="imap.gmail.com",
        auth=Auth.GOOGLE,
        secret_env="MAILBOX_TEST_GOOGLE_KEY",
    )
    handler = GoogleSMTP(google)
    mail = EmailMessage(
        "Re: uw vraag",
        "Het antwoord.",
        "info@pso-nederland.nl",
        ["els@gemeente-almelo.nl"],
        headers={"Message-ID": "<g1@helpdesk.pso-nederland.nl>"},
    )
    with smtp_controller(handler, certificates, settings):
        sent = get_connection("mailboxes.sending.XOAuth2SMTPBackend").send_messages([mail])

    assert sent == 1
    assert handler.auth[0].startswith("user=info@pso-nederland.nl\x01auth=Bearer ya29.")
    assert b"Message-ID: <g1@helpdesk.pso-nederland.nl>" in handler.received[0]
    assert google.state.assertions[0]["sub"] == "info@pso-nederland.nl"
