""" "Test connection" runs in the worker: the web request only asks for it, and the page
shows the result when the worker has recorded it (polling a fragment), or says after
``MAILBOX_CHECK_WAIT_SECONDS`` that the worker did not answer."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from mailboxes import polling
from mailboxes.models import Mailbox
from mailboxes.problems import Problem
from mailboxes.services import mailbox_check_recorded, mailbox_check_requested
from tests.factories import MailboxFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def queued(monkeypatch):
    """The broker: what the web request hands to the worker, kept for the test to run."""
    tasks: list[tuple[object, dict]] = []
    monkeypatch.setattr(polling, "enqueue", lambda func, **kw: tasks.append((func, kw)))
    return tasks


@pytest.fixture
def silent_server():
    """A server that accepts connections and never says a word (no IMAP greeting)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    yield listener
    listener.close()


def connected(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def run(tasks) -> None:
    for func, kwargs in tasks:
        options = {k: v for k, v in kwargs.items() if k not in ("group", "timeout")}
        func(**options)


def test_the_request_does_not_wait_for_a_server_that_never_answers(
    manager_client,
    queued,
    silent_server,
    settings,
    imap_password,
    django_capture_on_commit_callbacks,
):
    settings.MAILBOX_TIMEOUT_SECONDS = 1
    mailbox = MailboxFactory(port=silent_server.getsockname()[1], security="none")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("mailbox_test", args=[mailbox.pk]), **HTMX)

    assert not connected(silent_server)  # the web request never went near the server
    page = response.content.decode()
    assert "Testing the connection" in page
    assert 'hx-trigger="every 2s"' in page  # the page keeps asking
    [(func, kwargs)] = queued
    assert func is polling.mailbox_check_run
    assert kwargs["timeout"] == settings.MAILBOX_CHECK_WAIT_SECONDS

    run(queued)  # the worker meets the silence and gives up after the socket timeout
    assert connected(silent_server)
    fragment = manager_client.get(reverse("mailbox_test_result", args=[mailbox.pk]), **HTMX)

    text = fragment.content.decode()
    assert "Connection test failed" in text
    assert "server does not answer (timed out)" in text
    assert "hx-trigger" not in text  # done: the polling stops
    mailbox.refresh_from_db()
    assert (mailbox.check_ok, mailbox.problem) == (False, Problem.TIMEOUT)


def test_a_passing_test_is_shown_on_the_list_with_what_it_found(
    manager_client, queued, dovecot, imap_password, django_capture_on_commit_callbacks
):
    user = dovecot.new_user()
    mailbox = MailboxFactory(port=dovecot.imap_port, security="none", username=user)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("mailbox_test", args=[mailbox.pk]), HTTP_ACCEPT_LANGUAGE="en")

    run(queued)
    page = manager_client.get(reverse("mailbox_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Connection works." in page
    # What it found, in the language of who asked, though the worker wrote it.
    assert f"Signed in as {user}." in page
    assert "Folder INBOX: 0 message(s) waiting" in page


def test_without_an_answer_from_the_worker_the_page_says_so_and_stops_asking(
    manager_client, queued, settings, django_capture_on_commit_callbacks
):
    mailbox = MailboxFactory()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("mailbox_test", args=[mailbox.pk]))
    long_ago = timezone.now() - dt.timedelta(seconds=settings.MAILBOX_CHECK_WAIT_SECONDS + 1)
    Mailbox.objects.filter(pk=mailbox.pk).update(check_requested_at=long_ago)

    text = manager_client.get(
        reverse("mailbox_test_result", args=[mailbox.pk]), **HTMX
    ).content.decode()

    assert "The worker did not answer" in text
    assert "hx-trigger" not in text


def test_an_older_test_finishing_late_does_not_overwrite_a_newer_one(db):
    mailbox = MailboxFactory()
    older = timezone.now() - dt.timedelta(minutes=1)
    mailbox_check_requested(mailbox=mailbox)

    kept = mailbox_check_recorded(mailbox_pk=mailbox.pk, requested_at=older, ok=True, result="x")

    mailbox.refresh_from_db()
    assert kept is False
    assert (mailbox.check_finished_at, mailbox.check_result) == (None, "")


def test_a_broker_that_cannot_be_reached_is_shown_instead_of_waiting(
    manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is not running")

    monkeypatch.setattr(polling, "enqueue", down)
    mailbox = MailboxFactory()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("mailbox_test", args=[mailbox.pk]))

    mailbox.refresh_from_db()
    assert mailbox.check_ok is False
    assert "Redis is not running" in mailbox.check_result
