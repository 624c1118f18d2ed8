"""Email intake end to end: store first, parse second, thread, match senders."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.intake.email import Receipt, mail_receive
from cases.models import (
    Case,
    InboundMessage,
    InboundOutcome,
    InboundStatus,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def receive(db, django_capture_on_commit_callbacks):
    def _receive(raw: bytes | str, source: str = "test", **kwargs) -> Receipt:
        if isinstance(raw, str):
            raw = eml(raw)
        with django_capture_on_commit_callbacks(execute=True):
            receipt = mail_receive(raw=raw, source=source, **kwargs)
        receipt.message.refresh_from_db()
        return receipt

    return _receive


def reply_to(
    message_id: str,
    *,
    sender: str,
    subject: str = "Re: vraag",
    mid: str,
    header: str = "In-Reply-To",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: info@pso-nederland.nl\r\nSubject: {subject}\r\n"
        f"Date: Fri, 27 Nov 2026 09:00:00 +0100\r\nMessage-ID: <{mid}>\r\n"
        f"{header}: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Dank voor uw antwoord.\r\n"
    ).encode()


# --- Store first -----------------------------------------------------------------------


def test_new_mail_opens_a_case_with_the_raw_message_and_its_hash_kept(receive):
    receipt = receive("plain_nl.eml")

    message = receipt.message
    assert message.status == InboundStatus.PROCESSED
    assert message.outcome == InboundOutcome.NEW
    assert bytes(message.raw) == eml("plain_nl.eml")
    assert len(message.raw_sha256) == 64
    case = message.case
    assert case.channel == "email"
    assert case.subject == "Vraag over Trede 2 voor de gemeente"
    assert "Trede 1 naar Trede 2" in case.description
    assert receipt.describe() == f"{case.reference} new"


def test_the_same_mail_delivered_three_times_is_stored_once(receive):
    first = receive("plain_nl.eml")
    second = receive("plain_nl.eml", source="Mailgun")
    # A copy through another address (another Received header) is still the same message.
    third = receive(b"Received: from relay.example.net\r\n" + eml("plain_nl.eml"))

    assert not first.duplicate and second.duplicate and third.duplicate
    assert InboundMessage.objects.count() == 1
    assert Case.objects.count() == 1
    assert third.describe() == f"{first.message.case.reference} duplicate"


def test_mail_without_message_id_is_recognised_again_by_its_bytes(receive):
    first = receive("no_message_id.eml")
    again = receive("no_message_id.eml")
    assert again.duplicate and again.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1


def test_the_same_esp_event_is_stored_once(receive):
    first = receive("plain_nl.eml", source="Postmark", esp_event_id="abc")
    other_bytes = receive("no_message_id.eml", source="Postmark", esp_event_id="abc")
    assert other_bytes.duplicate and other_bytes.message.pk == first.message.pk


def test_a_processing_failure_keeps_the_message_for_a_retry(receive, monkeypatch):
    import cases.intake.email as intake

    def broken(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(intake, "parse_message", broken)
    receipt = receive("plain_nl.eml")
    message = receipt.message
    assert message.status == InboundStatus.FAILED
    assert "parser bug" in message.error
    assert bytes(message.raw) == eml("plain_nl.eml")
    assert Case.objects.count() == 0
    assert receipt.describe().startswith("- quarantined: could not be processed")

    monkeypatch.undo()
    intake.inbound_process(message_pk=message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED
    assert message.attempts == 2
    assert Case.objects.count() == 1
