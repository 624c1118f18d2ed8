"""Mail taken in a batch at a time (``cases.intake.batches``): the same outcome as one by
one, one look-up and one insert for the batch, a failing message kept for retry, and the
queries one message costs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as sent_mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cases.intake.email as intake
import cases.intake.storage as storage
from cases.first_answer.clock import configuration_kept, target_for, urgency_words
from cases.intake.batches import mail_receive_many
from cases.intake.email import mail_receive
from cases.intake.recovery import mail_recover
from cases.intake.storage import Delivery
from cases.models import Case, InboundMessage, InboundStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def mail(n: int, sender: str = "els@gemeente-almelo.nl", extra: str = "") -> bytes:
    return (
        f"From: Els <{sender}>\r\nTo: info@pso-nederland.nl\r\nSubject: Vraag {n}\r\n"
        f"Message-ID: <batches-{n}@gemeente-almelo.nl>\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHoe vraag ik Trede 1 aan?\r\n"
    ).encode()


def deliveries(*raws: bytes) -> list[Delivery]:
    return [Delivery(raw=raw, source="test", esp_event_id=f"k{i}") for i, raw in enumerate(raws)]


def statements(captured: CaptureQueriesContext) -> list[str]:
    """The statements that did work: savepoints (a test runs inside a transaction) left out."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def test_a_batch_gives_each_message_the_outcome_it_gets_alone(django_capture_on_commit_callbacks):
    first, again, other = mail(1), mail(1), mail(2, sender="piet@gemeente-almelo.nl")
    reused = mail(1).replace(b"Hoe vraag", b"Anders: hoe vraag")  # same Message-ID
    with django_capture_on_commit_callbacks(execute=True):
        receipts = mail_receive_many(deliveries(first, again, other, reused), inline=True)

    assert [r.duplicate for r in receipts] == [False, True, False, False]
    assert [r.describe().split()[-1] for r in receipts] == ["new", "duplicate", "new", "new"]
    assert receipts[1].message.pk == receipts[0].message.pk  # the second delivery: the first
    assert InboundMessage.objects.count() == 3
    assert InboundMessage.objects.get(pk=receipts[3].message.pk).message_id_reused
    assert Case.objects.count() == 3
    assert len(sent_mail.outbox) == 3  # each new case acknowledged, after the commit


def test_a_batch_is_one_look_up_and_one_insert_and_a_message_kept_before_is_a_duplicate():
    kept = mail_receive(raw=mail(1), source="test", inline=True).message
    with CaptureQueriesContext(connection) as captured:
        receipts = mail_receive_many(deliveries(*(mail(n) for n in range(1, 11))), queue=False)
    done = statements(captured)
    assert sum(s.startswith('INSERT INTO "cases_inboundmessage"') for s in done) == 1
    assert sum(s.startswith("SELECT") for s in done) == 2  # the look-up; the kept one read
    assert receipts[0].duplicate and receipts[0].message.pk == kept.pk
    assert [r.waiting for r in receipts] == [False] + [True] * 9
    assert InboundMessage.objects.filter(status=InboundStatus.RECEIVED).count() == 9


def test_a_batch_that_meets_a_message_stored_meanwhile_is_stored_one_by_one(monkeypatch):
    meanwhile = mail_receive(raw=mail(2), source="test", inline=True).message
    real, looked = storage._rows, []

    def missed_the_first_time(same):  # the batch's look-up ran before it was stored
        looked.append(same)
        return [] if len(looked) == 1 else real(same)

    monkeypatch.setattr(storage, "_rows", missed_the_first_time)
    receipts = mail_receive_many(deliveries(mail(1), mail(2), mail(3)), queue=False)
    assert [r.duplicate for r in receipts] == [False, True, False]
    assert receipts[1].message.pk == meanwhile.pk
    assert InboundMessage.objects.count() == 3


def test_a_failing_message_in_a_batch_is_kept_for_retry_and_the_rest_processed(monkeypatch):
    real = intake._process

    def broken_for_two(message, **kwargs):
        if message.message_id == "batches-2@gemeente-almelo.nl":
            raise ValueError("kaputt")
        return real(message, **kwargs)

    monkeypatch.setattr(intake, "_process", broken_for_two)
    receipts = mail_receive_many(deliveries(mail(1), mail(2), mail(3)), inline=True)
    statuses = [InboundMessage.objects.get(pk=r.message.pk).status for r in receipts]
    assert statuses == [InboundStatus.PROCESSED, InboundStatus.FAILED, InboundStatus.PROCESSED]
    failed = InboundMessage.objects.get(pk=receipts[1].message.pk)
    assert failed.case_id is None and "kaputt" in failed.error and failed.next_attempt_at
    assert Case.objects.count() == 2  # nothing of the failed attempt is left

    monkeypatch.setattr(intake, "_process", real)
    mail_recover(now=failed.next_attempt_at + dt.timedelta(seconds=1))
    failed.refresh_from_db()
    assert failed.status == InboundStatus.PROCESSED and Case.objects.count() == 3


def test_a_crash_while_processing_a_batch_leaves_its_messages_received_for_recovery(
    monkeypatch,
):
    real = intake.inbound_process
    calls: list[int] = []

    def crash_at_the_third(*, message_pk, **kwargs):
        calls.append(message_pk)
        if len(calls) == 3:
            raise ConnectionError("database went away")
        return real(message_pk=message_pk, **kwargs)

    monkeypatch.setattr(intake, "inbound_process", crash_at_the_third)
    receipts = mail_receive_many(deliveries(*(mail(n) for n in range(1, 6))), inline=True)
    # Stored and committed before processing; the claims since the last commit are undone.
    assert InboundMessage.objects.count() == 5
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {InboundStatus.RECEIVED}
    assert Case.objects.count() == 0 and OutboundMessage.objects.count() == 0
    assert [r.describe().split()[-1] for r in receipts] == ["received"] * 5

    monkeypatch.setattr(intake, "inbound_process", real)
    later = InboundMessage.objects.latest("received_at").received_at + dt.timedelta(hours=1)
    assert mail_recover(now=later).late == 5
    assert Case.objects.count() == 5


def warm() -> None:
    """What a batch reads once (targets, urgency words) is read; the year's counter and
    the sender exist."""
    target_for("email", "normal")
    urgency_words()
    mail_receive(raw=mail(0), source="test", inline=True)


def test_a_new_case_with_its_acknowledgement_costs_twelve_queries(
    django_capture_on_commit_callbacks,
):
    """Store (look-up, insert), claim and read, the sender, the case number, the case, the
    message, the acknowledgement's limits and its record, and its delivery (claim, read,
    sent). The configuration is read once per batch, not per message."""
    with configuration_kept():
        warm()
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            receipt = mail_receive(raw=mail(1), source="test", inline=True)
    assert receipt.describe().endswith(" new")
    assert len(sent_mail.outbox) == 1
    done = statements(captured)
    assert len(done) == 12, "\n".join(done)


def test_a_reply_on_an_existing_case_costs_seven_queries():
    """Store (look-up, insert), claim and read, the thread (our messages, received ones),
    the sender, the message."""
    with configuration_kept():
        warm()
        reply = mail(1, extra="In-Reply-To: <batches-0@gemeente-almelo.nl>\r\n")
        with CaptureQueriesContext(connection) as captured:
            receipt = mail_receive(raw=reply, source="test", inline=True)
    assert receipt.describe().endswith(" reply")
    done = statements(captured)
    assert len(done) == 7, "\n".join(done)
