"""A poll hands what it stored to the worker one task per fetched batch (not one task per
message); the worker processes each message of the batch on its own."""

from __future__ import annotations

import pytest

from cases.intake import email as intake
from cases.models import InboundMessage, InboundStatus
from mailboxes.polling import mailbox_poll
from tests.factories import MailboxFactory
from tests.mailboxes.mail import message

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_each_fetched_batch_is_one_task_and_the_worker_processes_all_of_it(
    dovecot, trusted, imap_password, settings, monkeypatch
):
    settings.MAILBOX_FETCH_BATCH = 10
    queued: list[tuple[object, dict]] = []
    monkeypatch.setattr(intake, "enqueue", lambda func, **kw: queued.append((func, kw)))
    mailbox = MailboxFactory(port=dovecot.imaps_port, security="tls", username=dovecot.new_user())
    dovecot.deliver(mailbox.username, [message(n) for n in range(25)])

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (25, None)
    assert dovecot.uids(mailbox.username, "INBOX") == []  # moved once stored
    assert [func for func, _ in queued] == [intake.inbound_process_many] * 3
    assert [len(kw["message_pks"]) for _, kw in queued] == [10, 10, 5]
    assert InboundMessage.objects.filter(status=InboundStatus.RECEIVED).count() == 25

    for func, kwargs in queued:  # the worker
        func(message_pks=kwargs["message_pks"])

    assert InboundMessage.objects.filter(status=InboundStatus.PROCESSED).count() == 25
    assert InboundMessage.objects.filter(case__isnull=False).count() == 25
