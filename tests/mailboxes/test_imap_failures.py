"""What goes wrong on the way to an IMAP server is shown in plain words, and loses nothing."""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Case, InboundMessage
from mailboxes.polling import mailbox_check, mailbox_poll
from mailboxes.problems import Problem
from tests.factories import MailboxFactory
from tests.mailboxes.dovecot import free_port
from tests.mailboxes.mail import message
from tests.mailboxes.proxy import DroppingRelay

# Committed for real (a poll moves mail only after each commit); serialized_rollback
# brings back the rows the migrations made, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_connection_dropped_mid_fetch_keeps_what_was_stored_and_the_next_poll_takes_the_rest(
    dovecot, imap_password, settings
):
    settings.MAILBOX_FETCH_BATCH = 1  # one message per fetch: the drop lands between them
    user = dovecot.new_user()
    dovecot.deliver(user, [message(n, body="x" * 100_000) for n in range(5)])
    relay = DroppingRelay(dovecot.imap_port, drop_after=300_000)
    mailbox = MailboxFactory(port=relay.port, security="none", username=user)
    try:
        first = mailbox_poll(mailbox=mailbox)
    finally:
        relay.close()

    assert relay.dropped.is_set()
    assert first.error.problem == Problem.DROPPED
    kept = InboundMessage.objects.count()
    assert 0 < kept < 5
    assert len(dovecot.uids(user, "INBOX")) == 5 - kept

    mailbox.port = dovecot.imap_port
    mailbox.save()
    second = mailbox_poll(mailbox=mailbox)

    assert second.error is None, second.lines
    assert second.taken_in == 5 - kept, second.lines
    assert InboundMessage.objects.count() == 5
    assert Case.objects.count() == 5
    assert dovecot.uids(user, "INBOX") == []


def test_starttls_with_a_verified_certificate(dovecot, trusted, imap_password):
    user = dovecot.new_user()
    dovecot.deliver(user, [message(1)])
    mailbox = MailboxFactory(port=dovecot.imap_port, security="starttls", username=user)

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (1, None)


def test_a_certificate_that_does_not_verify_is_refused(dovecot, imap_password):
    # The run's test authority is not trusted here: the certificate is self-made.
    mailbox = MailboxFactory(port=dovecot.imaps_port, security="tls", username=dovecot.new_user())
    dovecot.deliver(mailbox.username, [message(1)])

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.CERTIFICATE
    assert InboundMessage.objects.count() == 0


def test_a_server_that_does_not_answer_times_out(imap_password, settings):
    settings.MAILBOX_TIMEOUT_SECONDS = 1
    silent = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    mailbox = MailboxFactory(port=silent.getsockname()[1], security="tls")
    try:
        report = mailbox_poll(mailbox=mailbox)
    finally:
        silent.close()
        for sock in accepted:
            sock.close()

    assert report.error.problem == Problem.TIMEOUT
    mailbox.refresh_from_db()
    assert mailbox.problem == Problem.TIMEOUT
    assert mailbox.polling_since is None  # the next poll may run


def test_a_server_that_cannot_be_reached(imap_password):
    mailbox = MailboxFactory(port=free_port(), security="tls")

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.CONNECT


def test_a_secret_that_is_not_set_is_named(monkeypatch):
    monkeypatch.delenv("MAILBOX_TEST_PASSWORD", raising=False)
    mailbox = MailboxFactory(port=free_port())

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.SECRET_MISSING
    assert "MAILBOX_TEST_PASSWORD" in report.error.detail


def test_the_secret_can_come_from_a_file_in_the_secrets_folder(
    dovecot, trusted, tmp_path, settings
):
    settings.MAILBOX_SECRETS_DIR = str(tmp_path)
    (tmp_path / "info-imap").write_text("dovecot-test-password\n")
    mailbox = MailboxFactory(
        port=dovecot.imaps_port, username=dovecot.new_user(), secret_env="", secret_file="info-imap"
    )

    with translation.override("en"):
        assert mailbox_check(mailbox=mailbox)[0] == f"Signed in as {mailbox.username}."


def test_a_secret_file_outside_the_secrets_folder_is_refused(tmp_path, settings):
    settings.MAILBOX_SECRETS_DIR = str(tmp_path / "secrets")
    mailbox = MailboxFactory(secret_env="", secret_file="../../etc/passwd")

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.SECRET_MISSING
    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()
    assert "secret_file" in refused.value.error_dict


@pytest.mark.parametrize("name", ["SECRET_KEY", "DATABASE_URL", "mailbox_lower", "MAILBOX_"])
def test_only_mailbox_variables_can_hold_a_secret(name):
    mailbox = MailboxFactory.build(secret_env=name)

    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()

    assert "secret_env" in refused.value.error_dict


def test_plain_imap_is_refused_for_a_server_elsewhere():
    mailbox = MailboxFactory.build(host="imap.example.nl", security="none")

    with pytest.raises(ValidationError) as refused:
        mailbox.full_clean()

    assert "security" in refused.value.error_dict
