"""Polling an IMAP mailbox against a real Dovecot: stored first, moved after, exactly once."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_q.brokers import get_broker

from cases.models import Case, InboundMessage, InboundStatus
from mailboxes.imap import ImapSession
from mailboxes.models import AfterFetch, Mailbox
from mailboxes.polling import mailbox_poll
from mailboxes.problems import MailboxError, Problem
from tests.factories import MailboxFactory
from tests.mailboxes.mail import message

# Committed for real (a poll moves mail only after each commit); serialized_rollback
# brings back the rows the migrations made, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mailbox(dovecot, trusted, imap_password) -> Mailbox:
    return MailboxFactory(port=dovecot.imaps_port, security="tls", username=dovecot.new_user())


def test_new_mail_is_stored_processed_and_moved_to_the_processed_folder(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1), message(2), message(3)])

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.duplicates, report.error) == (3, 0, None)
    stored = InboundMessage.objects.filter(source="mailbox:" + mailbox.name)
    assert stored.count() == 3
    assert set(stored.values_list("status", flat=True)) == {InboundStatus.PROCESSED}
    assert Case.objects.count() == 3
    assert dovecot.uids(mailbox.username, "INBOX") == []
    assert len(dovecot.uids(mailbox.username, "Processed")) == 3
    mailbox.refresh_from_db()
    assert mailbox.taken_in == 3
    assert mailbox.last_success_at is not None
    assert mailbox.problem == Problem.NONE
    assert mailbox.polling_since is None


def test_messages_are_fetched_without_being_marked_read(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1), message(2)])

    mailbox_poll(mailbox=mailbox)

    # BODY.PEEK[]: the moved messages are still unread for the people who use the mailbox.
    assert len(dovecot.unseen(mailbox.username, "Processed")) == 2


def test_a_poll_that_finds_nothing_changes_nothing(dovecot, mailbox):
    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (0, None)
    assert InboundMessage.objects.count() == 0
    mailbox.refresh_from_db()
    assert mailbox.last_success_at is not None


def test_a_crash_between_storing_and_moving_does_not_duplicate_on_the_next_poll(
    dovecot, mailbox, monkeypatch
):
    dovecot.deliver(mailbox.username, [message(1), message(2)])

    def crash(self, uids, folder):
        raise MailboxError(Problem.DROPPED, "worker killed before the move")

    with monkeypatch.context() as patch:
        patch.setattr(ImapSession, "move", crash)
        first = mailbox_poll(mailbox=mailbox)
    assert first.error is not None and first.error.problem == Problem.DROPPED
    assert InboundMessage.objects.count() == 2
    assert len(dovecot.uids(mailbox.username, "INBOX")) == 2  # stored, not yet moved

    second = mailbox_poll(mailbox=mailbox)

    assert (second.taken_in, second.duplicates, second.error) == (0, 2, None)
    assert InboundMessage.objects.count() == 2
    assert Case.objects.count() == 2
    assert dovecot.uids(mailbox.username, "INBOX") == []
    assert len(dovecot.uids(mailbox.username, "Processed")) == 2


def test_after_a_uidvalidity_change_the_folder_is_read_again_and_nothing_is_stored_twice(
    dovecot, mailbox, monkeypatch
):
    dovecot.deliver(mailbox.username, [message(1), message(2)])
    with monkeypatch.context() as patch:
        patch.setattr(ImapSession, "move", lambda self, uids, folder: None)
        mailbox_poll(mailbox=mailbox)  # stored; the move "did not happen"
    mailbox.refresh_from_db()
    old_validity = mailbox.uidvalidity
    dovecot.uidvalidity_set(mailbox.username, "INBOX", old_validity + 1000)
    dovecot.deliver(mailbox.username, [message(3)])

    report = mailbox_poll(mailbox=mailbox)

    assert report.error is None
    assert (report.taken_in, report.duplicates) == (1, 2)
    assert any("UIDVALIDITY changed" in line for line in report.lines)
    assert InboundMessage.objects.count() == 3
    assert Case.objects.count() == 3
    mailbox.refresh_from_db()
    assert mailbox.uidvalidity == old_validity + 1000
    assert dovecot.uids(mailbox.username, "INBOX") == []


def test_five_hundred_messages_are_taken_in_in_one_poll_and_queued_for_the_worker(
    dovecot, mailbox, no_worker
):
    dovecot.deliver(mailbox.username, [message(n) for n in range(500)])
    broker = get_broker()
    broker.purge_queue()

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (500, None)
    assert InboundMessage.objects.filter(status=InboundStatus.RECEIVED).count() == 500
    assert broker.queue_size() == 5  # one task per fetched batch of 100
    broker.purge_queue()
    assert dovecot.uids(mailbox.username, "INBOX") == []
    assert len(dovecot.uids(mailbox.username, "Processed")) == 500
    mailbox.refresh_from_db()
    assert mailbox.taken_in == 500


def test_a_message_of_20_mb_is_stored_whole_and_its_oversized_attachment_left_out_and_said_so(
    dovecot, mailbox, settings
):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    settings.MAILBOX_FETCH_BATCH_BYTES = 1024 * 1024  # the big one is fetched on its own
    big = message(1, body="Zie de bijlage.", attachment=b"%PDF-1.7 " + b"x" * (20 * 1024 * 1024))
    dovecot.deliver(mailbox.username, [big, message(2)])

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (2, None)
    stored = InboundMessage.objects.get(subject__startswith="Vraag 1")
    assert stored.size == len(big) > 20 * 1024 * 1024
    assert "Zie de bijlage." in stored.text_body
    assert "zelfscan.pdf" in stored.dropped_attachments
    assert dovecot.uids(mailbox.username, "INBOX") == []


def test_a_folder_that_does_not_exist_is_shown_in_plain_words(dovecot, mailbox):
    mailbox.folder = "Helpdesk-bestaat-niet"
    mailbox.save()

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.FOLDER
    mailbox.refresh_from_db()
    assert mailbox.problem == Problem.FOLDER
    with translation.override("nl"):
        assert mailbox.get_problem_display() == "map bestaat niet"


def test_a_missing_folder_for_processed_mail_stops_the_poll_before_anything_is_fetched(
    dovecot, mailbox
):
    mailbox.processed_folder = "Verwerkt"
    mailbox.save()
    dovecot.deliver(mailbox.username, [message(1)])

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.PROCESSED_FOLDER
    assert InboundMessage.objects.count() == 0
    assert len(dovecot.uids(mailbox.username, "INBOX")) == 1


def test_a_wrong_password_is_shown_and_the_next_poll_tries_again(dovecot, mailbox, monkeypatch):
    dovecot.deliver(mailbox.username, [message(1)])
    monkeypatch.setenv("MAILBOX_TEST_PASSWORD", "not-the-password")

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.AUTH
    mailbox.refresh_from_db()
    with translation.override("nl"):
        assert mailbox.get_problem_display() == "wachtwoord geweigerd"
    assert InboundMessage.objects.count() == 0

    monkeypatch.setenv("MAILBOX_TEST_PASSWORD", "dovecot-test-password")
    again = mailbox_poll(mailbox=mailbox)

    assert (again.taken_in, again.error) == (1, None)
    mailbox.refresh_from_db()
    assert mailbox.problem == Problem.NONE


def test_left_in_the_folder_marked_read_when_so_set_and_not_taken_in_twice(dovecot, mailbox):
    mailbox.after_fetch = AfterFetch.SEEN
    mailbox.save()
    dovecot.deliver(mailbox.username, [message(1), message(2)])

    first = mailbox_poll(mailbox=mailbox)
    dovecot.deliver(mailbox.username, [message(3)])
    second = mailbox_poll(mailbox=mailbox)

    assert (first.taken_in, second.taken_in, second.duplicates) == (2, 1, 0)
    assert len(dovecot.uids(mailbox.username, "INBOX")) == 3
    assert dovecot.unseen(mailbox.username, "INBOX") == []
    assert InboundMessage.objects.count() == 3


def test_one_poll_at_a_time(dovecot, mailbox):
    from mailboxes.services import mailbox_claim

    assert mailbox_claim(mailbox=mailbox)
    dovecot.deliver(mailbox.username, [message(1)])

    report = mailbox_poll(mailbox=mailbox)

    assert report.busy
    assert InboundMessage.objects.count() == 0
