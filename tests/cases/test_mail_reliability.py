"""Mail that gets stuck is taken up again; nothing is lost, nothing is done twice.

Incoming mail: a webhook stores and answers at once and the worker processes; a
crash mid-processing (a killed worker, a dropped database connection) leaves a claim
that the recovery job releases; a resend of a stored but unprocessed message starts
its processing. A different message that reuses a Message-ID is kept as a message of
its own. Outgoing mail: every failure ends recorded on the case, with a resend, and
addresses the mail server cannot take are refused before anything is recorded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.conf import Conf

from cases.intake import email as intake
from cases.intake.email import STUCK_AFTER, mail_receive
from cases.intake.outbound import mail_send, outbound_deliver, outbound_resend
from cases.intake.recipients import UndeliverableAddress, deliverable_address
from cases.intake.recovery import mail_recover
from cases.intake.storage import content_digest
from cases.models import (
    Case,
    Channel,
    InboundMessage,
    InboundStatus,
    OutboundMessage,
    OutboundStatus,
)
from cases.services import case_open

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def eml(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def message(mid: str, *, body: str = "Hoe vraag ik de Aspirant-status aan?", extra: str = ""):
    return (
        f"From: Jan de Vries <jan@almelo.nl>\r\nTo: info@pso-nederland.nl\r\n"
        f"Subject: Vraag {mid}\r\nMessage-ID: <{mid}@almelo.nl>\r\n{extra}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.fixture
def no_worker(monkeypatch):
    """The worker is not running: queued processing waits in the broker."""
    monkeypatch.setattr(Conf, "SYNC", False)


# --- The webhook hands processing to the worker ------------------------------------------


def test_a_stored_message_is_queued_for_the_worker_not_processed_in_the_request(
    db, no_worker, django_capture_on_commit_callbacks
):
    broker = get_broker()
    broker.purge_queue()
    with django_capture_on_commit_callbacks(execute=True):
        receipt = mail_receive(raw=message("queued"), source="test")

    stored = InboundMessage.objects.get(pk=receipt.message.pk)
    assert stored.status == InboundStatus.RECEIVED
    assert Case.objects.count() == 0
    assert broker.queue_size() == 1
    broker.purge_queue()


def test_the_unprocessed_list_says_who_sent_what_before_it_is_parsed(
    db, no_worker, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_receive(raw=message("waiting"), source="test")
    get_broker().purge_queue()

    page = staff_client.get(reverse("mail_unprocessed")).content.decode()

    assert "jan@almelo.nl" in page
    assert "Vraag waiting" in page
    assert "wacht" in page or "waiting" in page


# --- Crashes are recovered ----------------------------------------------------------------


def test_a_message_left_mid_processing_by_a_killed_worker_is_processed_by_the_recovery_job(db):
    stored = intake.inbound_store(raw=message("killed"), source="test").message
    # What a SIGKILL during processing leaves: the claim, nothing else.
    claimed_at = timezone.now() - STUCK_AFTER - dt.timedelta(minutes=1)
    InboundMessage.objects.filter(pk=stored.pk).update(
        status=InboundStatus.PROCESSING, attempts=1, processing_started_at=claimed_at
    )

    run = mail_recover()

    stored.refresh_from_db()
    assert run.released == 1 and run.retried == 1
    assert stored.status == InboundStatus.PROCESSED
    assert Case.objects.count() == 1
    # Run again: nothing is processed twice.
    again = mail_recover()
    assert (again.released, again.retried, again.late) == (0, 0, 0)
    assert Case.objects.count() == 1


def test_a_fresh_claim_is_left_alone(db):
    stored = intake.inbound_store(raw=message("busy"), source="test").message
    InboundMessage.objects.filter(pk=stored.pk).update(
        status=InboundStatus.PROCESSING, attempts=1, processing_started_at=timezone.now()
    )

    assert mail_recover().released == 0
    stored.refresh_from_db()
    assert stored.status == InboundStatus.PROCESSING


def test_a_dropped_connection_fails_the_attempt_and_it_is_tried_again_after_a_back_off(
    db, monkeypatch
):
    stored = intake.inbound_store(raw=message("dropped"), source="test").message
    real = intake._process

    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(intake, "_process", connection_lost)
    failed = intake.inbound_process(message_pk=stored.pk)
    assert failed.status == InboundStatus.FAILED
    assert "server closed the connection" in failed.error
    assert failed.next_attempt_at is not None

    monkeypatch.setattr(intake, "_process", real)
    assert mail_recover().retried == 0  # the back-off has not passed
    run = mail_recover(now=failed.next_attempt_at + dt.timedelta(seconds=1))
    stored.refresh_from_db()
    assert run.retried == 1
    assert stored.status == InboundStatus.PROCESSED


def test_after_the_last_automatic_attempt_only_staff_retry(db, monkeypatch):
    stored = intake.inbound_store(raw=message("hopeless"), source="test").message

    def broken(*args, **kwargs):
        raise ValueError("cannot parse this")

    monkeypatch.setattr(intake, "_process", broken)
    now = timezone.now()
    for _ in range(len(intake.RETRY_DELAYS) + 1):
        InboundMessage.objects.filter(pk=stored.pk).update(next_attempt_at=None)
        intake.inbound_process(message_pk=stored.pk)
    stored.refresh_from_db()
    assert stored.status == InboundStatus.FAILED
    assert stored.next_attempt_at is None
    assert mail_recover(now=now + dt.timedelta(days=1)).retried == 0


def test_a_message_whose_queued_task_was_lost_is_processed_by_the_recovery_job(db):
    stored = intake.inbound_store(
        raw=message("lost"),
        source="test",
        received_at=timezone.now() - dt.timedelta(minutes=10),
    ).message

    run = mail_recover()

    stored.refresh_from_db()
    assert run.late == 1
    assert stored.status == InboundStatus.PROCESSED


def test_a_resend_of_a_stored_but_unprocessed_message_is_processed(
    db, no_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_receive(raw=message("resent"), source="test")
    get_broker().purge_queue()
    assert InboundMessage.objects.get(pk=first.message.pk).status == InboundStatus.RECEIVED

    again = mail_receive(raw=message("resent"), source="test", inline=True)

    assert not again.duplicate
    assert again.message.pk == first.message.pk
    assert again.message.status == InboundStatus.PROCESSED
    assert InboundMessage.objects.count() == 1
    # Once processed, the next resend is a duplicate and changes nothing.
    third = mail_receive(raw=message("resent"), source="test", inline=True)
    assert third.duplicate
    assert Case.objects.count() == 1


# --- A reused Message-ID ------------------------------------------------------------------


def test_a_different_message_reusing_a_message_id_is_kept_and_not_trusted_for_threading(db):
    original = mail_receive(raw=message("same"), source="test", inline=True).message
    reuse = mail_receive(
        raw=message("same", body="Een heel andere vraag, over iets anders."),
        source="test",
        inline=True,
    )

    assert not reuse.duplicate
    assert reuse.message.pk != original.pk
    assert reuse.message.message_id_reused
    assert reuse.message.case_id != original.case_id
    # A reply to that id joins the case of the first message with it, never the reuser's.
    reply = mail_receive(
        raw=message("reply-1", extra="In-Reply-To: <same@almelo.nl>\r\n"),
        source="test",
        inline=True,
    ).message
    assert reply.case_id == original.case_id


def test_the_content_digest_ignores_the_trace_headers_relays_add():
    raw = eml("plain_nl.eml")
    relayed = (
        b"Received: from relay.example.net\r\n\tby mx.example.nl\r\nDelivered-To: x@y\r\n" + raw
    )
    assert content_digest(relayed) == content_digest(raw)
    assert content_digest(raw.replace(b"Trede", b"Trede 3")) != content_digest(raw)
    # Damaged input still gives a digest.
    assert len(content_digest(b"\x00\xff no headers at all")) == 64


# --- Outgoing mail ---------------------------------------------------------------------------


@pytest.fixture
def case(db):
    return case_open(subject="Vraag", channel=Channel.EMAIL, actor=None)


@pytest.mark.parametrize(
    ("address", "sent_to"),
    [
        ("idn@bücher.example", "idn@xn--bcher-kva.example"),
        ("Jan@Almelo.NL", "Jan@almelo.nl"),
    ],
)
def test_an_idn_domain_is_sent_in_its_ascii_form(
    case, address, sent_to, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = mail_send(
            case=case, to=address, subject="Antwoord", body_text="Hallo", automatic=False
        )
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT
    assert mail.outbox[-1].to == [sent_to]


@pytest.mark.parametrize(
    "address",
    [
        "jösé@exämple.nl",
        "evil@example.nl\r\nBcc: victim@example.org",
        "a@b@c.nl",
        "naam <jan@almelo.nl>",
        "",
    ],
)
def test_an_address_the_mail_server_cannot_take_is_refused_before_anything_is_recorded(
    case, address
):
    with pytest.raises(UndeliverableAddress):
        mail_send(case=case, to=address, subject="Antwoord", body_text="Hallo", automatic=False)
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []


def test_deliverable_address_keeps_an_ordinary_address():
    assert deliverable_address(" info@pso-nederland.nl ") == "info@pso-nederland.nl"


def test_the_reply_form_says_why_an_address_is_refused(staff_client, case):
    response = staff_client.post(
        reverse("case_mail_reply", args=[case.reference]),
        {"to": "jösé@example.nl", "subject": "Antwoord", "body": "Hallo"},
    )
    # Django's own email field already refuses a non-ASCII local part; either way
    # the form comes back with the field marked and nothing is recorded.
    assert response.status_code == 400
    assert not OutboundMessage.objects.exists()


def test_any_error_while_sending_is_recorded_on_the_message(case, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(
            "django.core.mail.EmailMessage.send",
            lambda self, fail_silently=False: (_ for _ in ()).throw(
                ConnectionRefusedError("mail server down")
            ),
        )
        sent = mail_send(case=case, to="jan@almelo.nl", subject="A", body_text="B", automatic=False)
        outbound_deliver(message_pk=sent.pk)
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.FAILED
    assert "mail server down" in sent.status_detail


def test_a_failed_message_is_shown_on_the_case_and_sent_again_with_the_button(
    staff_client, case, monkeypatch, django_capture_on_commit_callbacks
):
    sent = mail_send(case=case, to="jan@almelo.nl", subject="A", body_text="B", automatic=False)
    OutboundMessage.objects.filter(pk=sent.pk).update(
        status=OutboundStatus.FAILED, status_detail="SMTPServerDisconnected: closed"
    )
    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "SMTPServerDisconnected" in page
    assert reverse("mail_resend", args=[sent.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("mail_resend", args=[sent.pk]))

    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<{sent.message_id}>"


def test_a_recorded_message_never_handed_over_is_sent_by_the_recovery_job(case):
    sent = mail_send(case=case, to="jan@almelo.nl", subject="A", body_text="B", automatic=False)
    # The commit hook never ran (the process died right after the commit).
    later = timezone.now() + dt.timedelta(minutes=5)

    run = mail_recover(now=later)

    sent.refresh_from_db()
    assert run.sent == 1
    assert sent.status == OutboundStatus.SENT
    assert len(mail.outbox) == 1
    assert mail_recover(now=later).sent == 0


def test_an_interrupted_hand_over_is_marked_failed_not_sent_twice(case):
    sent = mail_send(case=case, to="jan@almelo.nl", subject="A", body_text="B", automatic=False)
    started = timezone.now() - dt.timedelta(minutes=30)
    OutboundMessage.objects.filter(pk=sent.pk).update(
        status=OutboundStatus.SENDING, sending_since=started
    )

    run = mail_recover()

    sent.refresh_from_db()
    assert run.interrupted == 1
    assert sent.status == OutboundStatus.FAILED
    assert mail.outbox == []
    assert outbound_resend(message=sent).status == OutboundStatus.QUEUED
