"""The one send function: ids, threading headers, loop header, Auto-Submitted, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail as django_mail

from cases.intake.email import mail_receive
from cases.intake.outbound import mail_send, subject_with_reference
from cases.models import Case, InboundMessage, OutboundMessage, OutboundStatus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


@pytest.fixture
def receive(db, django_capture_on_commit_callbacks):
    def _receive(raw: bytes | str) -> InboundMessage:
        if isinstance(raw, str):
            raw = (FIXTURES / raw).read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            receipt = mail_receive(raw=raw, source="test")
        receipt.message.refresh_from_db()
        return receipt.message

    return _receive


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def _send(**kwargs) -> OutboundMessage:
        with django_capture_on_commit_callbacks(execute=True):
            message = mail_send(**kwargs)
        message.refresh_from_db()
        return message

    return _send


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Uw vraag", "Uw vraag [PSO-2026-00042]"),
        ("Re: Uw vraag [PSO-2026-00042]", "Re: Uw vraag [PSO-2026-00042]"),
        ("Re: over pso-2026-00042", "Re: over pso-2026-00042"),
        ("", "[PSO-2026-00042]"),
    ],
)
def test_subject_carries_the_case_reference_once(subject, expected):
    assert subject_with_reference(subject, "PSO-2026-00042") == expected


def test_automatic_message_carries_auto_submitted_and_our_loop_header(receive, send):
    message = receive("plain_nl.eml")
    django_mail.outbox.clear()
    sent = send(
        case=message.case,
        to=message.from_address,
        subject="Uw vraag is ontvangen",
        body_text="Wij antwoorden binnen één werkdag.",
        automatic=True,
        in_reply_to=message,
    )
    email = django_mail.outbox[-1]
    assert email.extra_headers["Auto-Submitted"] == "auto-replied"
    assert email.extra_headers["X-PSO-Helpdesk-Loop"] == "pso-helpdesk"
    assert email.extra_headers["Message-ID"] == f"<{sent.message_id}>"
    assert email.extra_headers["In-Reply-To"] == f"<{message.message_id}>"
    assert sent.status == OutboundStatus.SENT
    assert sent.sent_at is not None
    # An automatic message is not the helpdesk's answer.
    message.case.refresh_from_db()
    assert message.case.first_response_at is None


def test_our_own_first_message_stays_in_references_of_later_replies(receive, send):
    message = receive("plain_nl.eml")
    send(case=message.case, to="a@almelo.nl", subject="A", body_text="1", automatic=True)
    later = send(case=message.case, to="a@almelo.nl", subject="B", body_text="2", automatic=False)
    ours = OutboundMessage.objects.filter(case=message.case).order_by("created_at", "pk").first()
    assert ours != later
    assert f"<{ours.message_id}>" in later.references
    assert f"<{message.message_id}>" in later.references


def test_a_backend_failure_is_recorded_on_the_message_not_raised(receive, send, settings):
    message = receive("plain_nl.eml")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens here
    settings.EMAIL_TIMEOUT = 2
    sent = send(case=message.case, to="a@almelo.nl", subject="A", body_text="1", automatic=False)
    assert sent.status == OutboundStatus.FAILED
    assert sent.status_detail


def test_nothing_is_sent_when_the_transaction_rolls_back(
    receive, django_capture_on_commit_callbacks
):
    from django.db import transaction

    message = receive("plain_nl.eml")
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                mail_send(
                    case=message.case, to="a@almelo.nl", subject="A", body_text="1", automatic=True
                )
                raise RuntimeError("the case change failed")
        except RuntimeError:
            pass
    assert django_mail.outbox == []
    assert not OutboundMessage.objects.filter(subject__startswith="A ").exists()


def test_reply_naming_the_mail_services_id_finds_our_message(receive, send):
    """Amazon SES replaces our Message-ID; the reply names the service's id."""
    case = receive("plain_nl.eml").case
    sent = send(case=case, to="a@almelo.nl", subject="A", body_text="1", automatic=False)
    OutboundMessage.objects.filter(pk=sent.pk).update(
        esp_message_id="0102018c2f3e4d5a-1234abcd-5678-90ef-aaaa-bbbbccccdddd-000000"
    )
    reply = receive(
        b"From: a@almelo.nl\r\nSubject: andere titel\r\nMessage-ID: <ses-reply@almelo.nl>\r\n"
        b"In-Reply-To: <0102018c2f3e4d5a-1234abcd-5678-90ef-aaaa-bbbbccccdddd-000000"
        b"@eu-west-1.amazonses.com>\r\n\r\nDank\r\n"
    )
    assert reply.case_id == case.pk


def test_auto_replies_and_list_mail_get_no_acknowledgement(receive):
    receive("list_newsletter.eml")
    receive("autoreply_ooo.eml")
    receive("bounce_dsn.eml")
    assert OutboundMessage.objects.count() == 0
    assert Case.objects.count() == 0
