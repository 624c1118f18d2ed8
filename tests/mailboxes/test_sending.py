"""Sending through Microsoft 365: Graph sendMail (against the stand-in) and SMTP with XOAUTH2
(against a real SMTP server on loopback, aiosmtpd, with STARTTLS and AUTH)."""

from __future__ import annotations

import base64
import email
import email.policy
import ssl
from contextlib import contextmanager

import pytest
from django.core.mail import EmailMessage, get_connection

from cases.intake.email import mail_receive
from mailboxes.models import Auth, Kind
from mailboxes.problems import MailboxError
from tests.factories import MailboxFactory
from tests.mailboxes.dovecot import free_port
from tests.mailboxes.mail import message
from tests.mailboxes.microsoft import CLIENT_ID, TENANT
from tests.mailboxes.smtp import AuthResult, Controller
from tests.mailboxes.tls import certificates_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(microsoft, settings):
    settings.MAILBOX_SENDING = "info"
    return MailboxFactory(
        name="info",
        address="info@pso-nederland.nl",
        kind=Kind.GRAPH,
        auth=Auth.MICROSOFT,
        host="",
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        secret_env="MAILBOX_TEST_CLIENT_SECRET",
    )


def reply() -> EmailMessage:
    return EmailMessage(
        subject="Re: Vraag over de PSO-status [PSO-2026-00001]",
        body="Beste Els,\n\nHierbij het antwoord.\n",
        from_email="PSO-helpdesk <info@pso-nederland.nl>",
        to=["els.bakker@gemeente-almelo.nl"],
        bcc=["archief@pso-nederland.nl"],
        headers={
            "Message-ID": "<abc123@helpdesk.pso-nederland.nl>",
            "In-Reply-To": "<vraag-1@gemeente-almelo.nl>",
            "References": "<vraag-1@gemeente-almelo.nl>",
            "X-PSO-Helpdesk-Loop": "pso-helpdesk",
            "Auto-Submitted": "auto-replied",
        },
    )


def test_graph_sends_our_mime_with_every_header_intact(microsoft, sender):
    backend = get_connection("mailboxes.sending.GraphEmailBackend")

    assert backend.send_messages([reply()]) == 1

    [(user, raw)] = microsoft.state.sent
    assert user == "info@pso-nederland.nl"
    sent = email.message_from_bytes(raw, policy=email.policy.default)
    assert sent["Message-ID"] == "<abc123@helpdesk.pso-nederland.nl>"
    assert sent["In-Reply-To"] == sent["References"] == "<vraag-1@gemeente-almelo.nl>"
    assert sent["X-PSO-Helpdesk-Loop"] == "pso-helpdesk"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["Bcc"] == "archief@pso-nederland.nl"  # Graph takes recipients from headers
    assert "Hierbij het antwoord." in sent.get_content()


def test_the_acknowledgement_of_new_mail_goes_out_through_graph(
    microsoft, sender, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "mailboxes.sending.GraphEmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        receipt = mail_receive(raw=message(1), source="test", inline=True)

    assert receipt.message.case is not None
    sent = [
        email.message_from_bytes(raw, policy=email.policy.default)
        for _, raw in microsoft.state.sent
    ]
    assert [m["To"] for m in sent] == ["els.bakker@gemeente-almelo.nl"]
    assert sent[0]["Auto-Submitted"] == "auto-replied"
    assert receipt.message.case.reference in sent[0]["Subject"]


def test_graph_sending_gets_a_fresh_token_when_the_old_one_expired(microsoft, sender):
    backend = get_connection("mailboxes.sending.GraphEmailBackend")
    backend.send_messages([reply()])
    microsoft.expire_tokens()

    assert backend.send_messages([reply()]) == 1
    assert len(microsoft.state.sent) == 2


def test_graph_sending_refused_is_an_error_unless_told_to_fail_silently(
    microsoft, sender, monkeypatch
):
    monkeypatch.setenv("MAILBOX_TEST_CLIENT_SECRET", "revoked")

    with pytest.raises(MailboxError):
        get_connection("mailboxes.sending.GraphEmailBackend").send_messages([reply()])
    assert (
        get_connection("mailboxes.sending.GraphEmailBackend", fail_silently=True).send_messages(
            [reply()]
        )
        == 0
    )


class XOAuth2Handler:
    """Accepts XOAUTH2 with a token the identity stand-in handed out; keeps what arrives."""

    def __init__(self, microsoft) -> None:
        self.microsoft = microsoft
        self.auth: list[str] = []
        self.received: list[tuple[str, list[str], bytes, bool]] = []
        self.refuse = False

    async def auth_XOAUTH2(self, server, args):  # noqa: N802 - aiosmtpd's naming
        response = base64.b64decode(args[1]).decode()
        self.auth.append(response)
        user, bearer = response.split("\x01")[:2]
        token = bearer.removeprefix("auth=Bearer ")
        ok = user == "user=info@pso-nederland.nl" and token in self.microsoft.state.tokens
        ok = ok and not self.refuse
        return AuthResult(success=ok, handled=False)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(
            (
                envelope.mail_from,
                envelope.rcpt_tos,
                envelope.original_content,
                session.ssl is not None,
            )
        )
        return "250 OK"


@contextmanager
def smtp_controller(handler, certificates, settings):
    """aiosmtpd on a free loopback port: STARTTLS required before AUTH, AUTH before mail."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates.cert_file, certificates.key_file)
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        auth_required=True,
    )
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = True
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(microsoft, certificates, settings):
    handler = XOAuth2Handler(microsoft)
    with smtp_controller(handler, certificates, settings):
        yield handler


def test_smtp_with_xoauth2_over_starttls_delivers_our_exact_bytes(smtp_server, sender):
    backend = get_connection("mailboxes.sending.XOAuth2SMTPBackend")

    assert backend.send_messages([reply()]) == 1

    [(mail_from, rcpt_tos, data, secured)] = smtp_server.received
    assert secured
    assert smtp_server.auth[0].startswith("user=info@pso-nederland.nl\x01auth=Bearer eyJ")
    assert mail_from == "info@pso-nederland.nl"
    assert sorted(rcpt_tos) == ["archief@pso-nederland.nl", "els.bakker@gemeente-almelo.nl"]
    assert b"Message-ID: <abc123@helpdesk.pso-nederland.nl>" in data
    assert b"X-PSO-Helpdesk-Loop: pso-helpdesk" in data
    assert b"Auto-Submitted: auto-replied" in data
    assert b"Bcc:" not in data  # SMTP carries Bcc in the envelope only


def test_smtp_with_a_refused_token_is_an_error_and_nothing_is_sent(smtp_server, sender):
    smtp_server.refuse = True

    with pytest.raises(MailboxError):
        get_connection("mailboxes.sending.XOAuth2SMTPBackend").send_messages([reply()])
    assert smtp_server.received == []


def test_smtp_refuses_a_certificate_that_does_not_verify(microsoft, sender, settings, tmp_path):
    stranger = certificates_make(tmp_path)  # signed by an authority nobody trusts
    handler = XOAuth2Handler(microsoft)
    with smtp_controller(handler, stranger, settings):
        backend = get_connection("mailboxes.sending.XOAuth2SMTPBackend")

        with pytest.raises(ssl.SSLCertVerificationError):
            backend.send_messages([reply()])
    assert handler.received == []
