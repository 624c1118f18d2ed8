"""``manage.py mailbox_poll`` and ``mailbox_check``, and the every-minute schedule."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import InboundMessage
from mailboxes.tasks import mailboxes_poll
from tests.factories import MailboxFactory
from tests.mailboxes.mail import message

# Committed for real (a poll moves mail only after each commit); serialized_rollback
# brings back the rows the migrations made, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mailbox(dovecot, trusted, imap_password):
    return MailboxFactory(
        name="info", port=dovecot.imaps_port, security="tls", username=dovecot.new_user()
    )


def test_mailbox_poll_prints_what_it_took_in(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1, subject="Spoed: vraag over Trede 2")])
    out = StringIO()

    call_command("mailbox_poll", "info", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(line.startswith("info: INBOX/") and " new" in line for line in lines), lines
    assert lines[-1] == "info: 1 taken in, 0 already stored, 1 moved or marked"
    assert InboundMessage.objects.get().case is not None


def test_mailbox_poll_without_a_name_polls_every_active_mailbox(dovecot, mailbox):
    MailboxFactory(name="oud", active=False, port=1)
    dovecot.deliver(mailbox.username, [message(1)])
    out = StringIO()

    call_command("mailbox_poll", stdout=out)

    assert "info: 1 taken in" in out.getvalue()
    assert "oud" not in out.getvalue()


def test_mailbox_poll_fails_loudly_on_an_error(mailbox, monkeypatch):
    monkeypatch.setenv("MAILBOX_TEST_PASSWORD", "wrong")

    with pytest.raises(CommandError):
        call_command("mailbox_poll", "info", stdout=StringIO())


def test_mailbox_check_signs_in_and_opens_the_folders(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1), message(2)])
    out = StringIO()

    call_command("mailbox_check", "info", stdout=out)

    text = out.getvalue()
    assert "Map INBOX: 2 bericht(en) wachten" in text  # in the helpdesk's language
    assert text.splitlines()[-1] == "info: OK"
    assert InboundMessage.objects.count() == 0  # a check takes nothing in


def test_mailbox_check_says_what_is_wrong(mailbox):
    mailbox.folder = "Bestaat-niet"
    mailbox.save()

    with pytest.raises(CommandError, match="map bestaat niet"):
        call_command("mailbox_check", "info", stdout=StringIO())


def test_an_unknown_mailbox_name_is_refused(db):
    with pytest.raises(CommandError, match="No mailbox called"):
        call_command("mailbox_check", "nope", stdout=StringIO())


def test_the_scheduled_task_polls_every_active_mailbox(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1)])

    assert mailboxes_poll() == "info: 1 taken in, 0 already stored, 1 moved or marked"
