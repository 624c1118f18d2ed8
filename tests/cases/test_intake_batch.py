"""Mail intake in batches: what does not depend on the message is done once per batch
(response targets, urgency words, parsed headers), a batch is one worker task, and a new
case with its acknowledgement takes a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import email.policy
from dataclasses import asdict
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import cases.intake.parsing.message as parsing
from cases.first_answer.clock import configuration_kept, target_for, urgency_words
from cases.intake import email as intake
from cases.intake.email import inbound_process_many, mail_receive
from cases.intake.parsing import parse_message
from cases.models import InboundMessage, InboundStatus, SlaTarget, UrgencyKeyword

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def mail(n: int, sender: str = "els@gemeente-almelo.nl", subject: str = "Vraag") -> bytes:
    return (
        f"From: Els <{sender}>\r\nTo: info@pso-nederland.nl\r\nSubject: {subject} {n}\r\n"
        f"Message-ID: <batch-{n}@gemeente-almelo.nl>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHoe vraag ik Trede 1 aan?\r\n"
    ).encode()


def queries(sql_part: str, captured: CaptureQueriesContext) -> int:
    return sum(sql_part in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_outside_a_batch_every_call_reads_the_configuration_afresh():
    SlaTarget.objects.update_or_create(
        channel="email", priority="normal", defaults={"working_time": dt.timedelta(hours=5)}
    )
    assert target_for("email", "normal") == dt.timedelta(hours=5)
    SlaTarget.objects.filter(channel="email", priority="normal").update(
        working_time=dt.timedelta(hours=6)
    )
    assert target_for("email", "normal") == dt.timedelta(hours=6)


@pytest.mark.django_db
def test_within_a_batch_targets_and_words_are_read_once_and_then_afresh():
    with configuration_kept(), CaptureQueriesContext(connection) as captured:
        first = (target_for("email", "normal"), urgency_words())
        UrgencyKeyword.objects.create(word="dringend", active=True)
        again = (target_for("email", "normal"), urgency_words())
    assert first == again  # the batch keeps what it read
    assert queries("scheduling_slatarget", captured) == 1
    assert queries('FROM "scheduling_urgencykeyword"', captured) == 1
    assert "dringend" in urgency_words()  # the next batch sees the change


@pytest.mark.django_db
def test_a_batch_is_processed_in_one_task_each_message_on_its_own(monkeypatch):
    queued: list[tuple[object, dict]] = []
    monkeypatch.setattr(intake, "enqueue", lambda func, **kw: queued.append((func, kw)))
    pks = [mail_receive(raw=mail(n), source="test", queue=False).message.pk for n in range(5)]
    InboundMessage.objects.filter(pk=pks[2]).update(raw=b"\xff" * 10)  # still processed

    intake.inbound_processing_later(message_pks=pks)
    [(func, kwargs)] = queued
    with CaptureQueriesContext(connection) as captured:
        func(**{k: v for k, v in kwargs.items() if k != "group"})

    assert func is inbound_process_many
    statuses = dict(InboundMessage.objects.values_list("pk", "status"))
    assert all(statuses[pk] != InboundStatus.RECEIVED for pk in pks)
    assert queries("scheduling_slatarget", captured) == 1  # once for the five
    assert queries('FROM "scheduling_urgencykeyword"', captured) == 1


@pytest.mark.django_db
def test_storing_a_new_message_costs_one_look_up_and_one_insert():
    with CaptureQueriesContext(connection) as captured:
        mail_receive(raw=mail(1), source="mailbox:info", esp_event_id="INBOX/7/1", queue=False)
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements.count("SELECT") == 1
    assert statements.count("INSERT") == 1


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.eml")))
def test_the_kept_header_objects_read_every_fixture_as_the_standard_policy_does(
    fixture, monkeypatch
):
    raw = (FIXTURES / fixture).read_bytes()
    kept = parse_message(raw)
    again = parse_message(raw)  # now from the kept headers
    monkeypatch.setattr(parsing, "PARSING_POLICY", email.policy.default)
    standard = parse_message(raw)
    assert asdict(kept) == asdict(standard) == asdict(again)


def fts_rows(rowid: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_search_fts WHERE rowid = %s", [rowid])
        return cursor.fetchone()[0]


def total_changes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_sqlite_search_index_is_touched_only_when_an_indexed_text_changes():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index (PostgreSQL indexes the columns themselves)")
    message = mail_receive(raw=mail(1), source="test", queue=False).message
    rowid = message.pk * 4 + 2
    assert fts_rows(rowid) == 1

    before = total_changes()
    InboundMessage.objects.filter(pk=message.pk).update(status=InboundStatus.PROCESSING)
    assert total_changes() - before == 1  # the row only: no trigger re-indexed it

    InboundMessage.objects.filter(pk=message.pk).update(subject="Nieuw onderwerp")
    assert total_changes() - before > 2  # the row, and its index row out and in again
    InboundMessage.objects.filter(pk=message.pk).delete()
    assert fts_rows(rowid) == 0  # found by rowid and gone with its row
