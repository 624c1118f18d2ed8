"""Polling a Microsoft 365 mailbox through Graph, against the local stand-in of Microsoft's
documented shapes (the real service cannot be reached from the test machines)."""

from __future__ import annotations

import pytest

from cases.models import Case, InboundMessage
from mailboxes import graph as graph_module
from mailboxes.graph import GraphClient
from mailboxes.models import AfterFetch, Auth, Kind
from mailboxes.polling import mailbox_check, mailbox_poll
from mailboxes.problems import MailboxError, Problem
from tests.factories import MailboxFactory
from tests.mailboxes.mail import message
from tests.mailboxes.microsoft import CLIENT_ID, TENANT

# Committed for real (a poll moves mail only after each commit); serialized_rollback
# brings back the rows the migrations made, as the other transactional tests expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mailbox(microsoft):
    microsoft.folder_add("Processed")
    return MailboxFactory(
        name="info",
        address="info@pso-nederland.nl",
        kind=Kind.GRAPH,
        auth=Auth.MICROSOFT,
        host="",
        tenant_id=TENANT,
        client_id=CLIENT_ID,
        secret_env="MAILBOX_TEST_CLIENT_SECRET",
    )


def processed(microsoft) -> list[str]:
    return microsoft.in_folder(
        next(f for f, n in microsoft.state.folders.items() if n == "Processed")
    )


def test_new_messages_are_fetched_as_mime_stored_and_moved(microsoft, mailbox):
    for n in range(3):
        microsoft.deliver(message(n))

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (3, None)
    assert InboundMessage.objects.filter(source="mailbox:info").count() == 3
    assert Case.objects.count() == 3
    assert microsoft.in_folder("inbox") == []
    assert len(processed(microsoft)) == 3
    mailbox.refresh_from_db()
    assert "$deltatoken=" in mailbox.delta_link


def test_the_delta_query_follows_every_next_link(microsoft, mailbox, monkeypatch):
    monkeypatch.setattr(graph_module, "PAGE_SIZE", 2)
    for n in range(5):
        microsoft.deliver(message(n))

    report = mailbox_poll(mailbox=mailbox)

    assert report.taken_in == 5
    deltas = [p for m, p, _ in microsoft.graph_requests() if p.endswith("/messages/delta")]
    assert len(deltas) == 3  # 2 + 2 + 1


def test_a_poll_that_finds_nothing_costs_one_request(microsoft, mailbox):
    microsoft.deliver(message(1))
    mailbox_poll(mailbox=mailbox)
    mailbox_poll(mailbox=mailbox)  # sees only what the first poll moved away
    before = len(microsoft.graph_requests())

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (0, None)
    assert len(microsoft.graph_requests()) - before == 1


def test_only_what_arrived_since_the_last_poll_is_fetched(microsoft, mailbox):
    microsoft.deliver(message(1))
    mailbox_poll(mailbox=mailbox)
    microsoft.deliver(message(2))

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.duplicates) == (1, 0)
    assert InboundMessage.objects.count() == 2


def test_a_poll_stopped_before_the_move_does_not_duplicate(microsoft, mailbox, monkeypatch):
    microsoft.deliver(message(1))
    microsoft.deliver(message(2))

    def crash(self, message_id, destination_id):
        raise MailboxError(Problem.DROPPED, "stopped before the move")

    with monkeypatch.context() as patch:
        patch.setattr(GraphClient, "move", crash)
        first = mailbox_poll(mailbox=mailbox)
    assert first.error.problem == Problem.DROPPED
    mailbox.refresh_from_db()
    assert mailbox.delta_link == ""  # the round was not finished: it is listed again

    second = mailbox_poll(mailbox=mailbox)

    assert second.error is None
    assert InboundMessage.objects.count() == 2
    assert Case.objects.count() == 2
    assert microsoft.in_folder("inbox") == []


def test_throttling_is_waited_out_as_retry_after_says(microsoft, mailbox):
    microsoft.deliver(message(1))
    microsoft.state.throttle = ["1"]

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (1, None)
    graph = microsoft.graph_requests()
    assert graph[1][2] - graph[0][2] >= 1.0  # the second request came a second later


def test_throttling_longer_than_allowed_is_shown_and_tried_again_next_poll(
    microsoft, mailbox, settings
):
    settings.MAILBOX_GRAPH_MAX_WAIT_SECONDS = 5
    microsoft.deliver(message(1))
    microsoft.state.throttle = ["120"]

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.THROTTLED
    assert "120" in report.error.detail
    again = mailbox_poll(mailbox=mailbox)
    assert (again.taken_in, again.error) == (1, None)


def test_an_expired_token_is_replaced_once_and_the_request_repeated(microsoft, mailbox):
    microsoft.deliver(message(1))
    mailbox_poll(mailbox=mailbox)
    microsoft.deliver(message(2))
    microsoft.expire_tokens()
    tokens_before = microsoft.state.token_requests

    report = mailbox_poll(mailbox=mailbox)

    assert (report.taken_in, report.error) == (1, None)
    assert microsoft.state.token_requests == tokens_before + 1


def test_a_wrong_client_secret_is_shown_in_plain_words(microsoft, mailbox, monkeypatch):
    monkeypatch.setenv("MAILBOX_TEST_CLIENT_SECRET", "revoked")

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.TOKEN
    assert "AADSTS7000215" in report.error.detail


def test_a_folder_that_does_not_exist(microsoft, mailbox):
    mailbox.folder = "Helpdesk"
    mailbox.save()

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.FOLDER


def test_a_missing_folder_for_processed_mail_stores_nothing(microsoft, mailbox):
    mailbox.processed_folder = "Verwerkt"
    mailbox.save()
    microsoft.deliver(message(1))

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.PROCESSED_FOLDER
    assert microsoft.in_folder("inbox") != []
    assert InboundMessage.objects.count() == 0


def test_marked_read_instead_of_moved_and_not_taken_in_twice(microsoft, mailbox):
    mailbox.after_fetch = AfterFetch.SEEN
    mailbox.save()
    microsoft.deliver(message(1))

    first = mailbox_poll(mailbox=mailbox)
    second = mailbox_poll(mailbox=mailbox)

    assert (first.taken_in, second.taken_in, second.duplicates) == (1, 0, 0)
    assert all(m.is_read for m in microsoft.state.messages.values())


def test_mailbox_check_gets_a_token_and_opens_both_folders(microsoft, mailbox):
    found = mailbox_check(mailbox=mailbox)

    assert len(found) == 3
    assert InboundMessage.objects.count() == 0


def test_a_certificate_that_does_not_verify_is_refused(microsoft, mailbox, settings):
    settings.MAILBOX_CA_FILE = ""  # the stand-in's certificate is signed by the test authority
    microsoft.deliver(message(1))

    report = mailbox_poll(mailbox=mailbox)

    assert report.error.problem == Problem.CERTIFICATE
    assert InboundMessage.objects.count() == 0
