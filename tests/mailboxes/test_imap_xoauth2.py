"""Microsoft 365 over IMAP: a token from the identity platform (msal, client credentials),
signed in with ``AUTHENTICATE XOAUTH2`` to a real Dovecot that checks the token."""

from __future__ import annotations

import pytest

from cases.models import InboundMessage
from mailboxes.models import Auth
from mailboxes.polling import mailbox_poll
from mailboxes.problems import Problem
from tests.factories import MailboxFactory
from tests.mailboxes.mail import message
from tests.mailboxes.microsoft import CLIENT_ID, TENANT

# Committed for real (a poll moves mail only after each commit); serialized_rollback
# brings back the rows the migrations made, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mailbox(dovecot, microsoft):
    user = dovecot.new_user()
    dovecot.introspection.user_of = lambda token: (
        user if microsoft.state.tokens.get(token, 0) > 0 else None
    )
    yield MailboxFactory(
        port=dovecot.imaps_port,
        security="tls",
        username=user,
        auth=Auth.MICROSOFT,
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        secret_env="MAILBOX_TEST_CLIENT_SECRET",
    )
    dovecot.introspection.user_of = lambda token: None


def test_a_microsoft_token_signs_in_with_xoauth2_and_the_mail_is_taken_in(dovecot, mailbox):
    dovecot.deliver(mailbox.username, [message(1), message(2)])

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (2, None)
    assert InboundMessage.objects.count() == 2
    assert dovecot.uids(mailbox.username, "INBOX") == []


def test_a_revoked_token_is_shown_and_a_new_one_is_asked_for_on_the_next_poll(
    dovecot, mailbox, microsoft
):
    dovecot.deliver(mailbox.username, [message(1)])
    mailbox_poll(mailbox=mailbox)
    microsoft.expire_tokens()  # revoked at Microsoft: Dovecot no longer accepts it
    dovecot.deliver(mailbox.username, [message(2)])
    asked = microsoft.state.token_requests

    refused = mailbox_poll(mailbox=mailbox)
    again = mailbox_poll(mailbox=mailbox)

    assert refused.error.problem == Problem.TOKEN
    assert (again.taken_in, again.error) == (1, None)
    assert microsoft.state.token_requests == asked + 1
