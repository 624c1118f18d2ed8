"""The mailboxes page: managers see each mailbox's state, edit it and test its connection."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_q.models import Schedule

from mailboxes.models import Mailbox
from mailboxes.problems import Problem
from mailboxes.schedules import POLL_SCHEDULE_NAME, POLL_TASK
from tests.factories import MailboxFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_mailbox_state_in_plain_words(manager_client):
    MailboxFactory(name="info", problem=Problem.AUTH, problem_detail="[AUTHENTICATIONFAILED]")
    MailboxFactory(name="spoed", taken_in=42)

    page = manager_client.get(reverse("mailbox_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "wachtwoord geweigerd" in page
    assert "[AUTHENTICATIONFAILED]" in page
    assert "42" in page


def test_the_list_costs_the_same_queries_however_many_mailboxes(
    manager_client, django_assert_max_num_queries
):
    MailboxFactory()
    manager_client.get(reverse("mailbox_list"))
    with django_assert_max_num_queries(12) as few:
        manager_client.get(reverse("mailbox_list"))
    MailboxFactory.create_batch(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager_client.get(reverse("mailbox_list"))


def test_a_manager_adds_a_mailbox_naming_where_its_secret_is(manager_client):
    response = manager_client.post(
        reverse("mailbox_create"),
        {
            "name": "info",
            "address": "info@pso-nederland.nl",
            "kind": "imap",
            "active": "on",
            "host": "imap.example.nl",
            "security": "tls",
            "auth": "password",
            "secret_env": "MAILBOX_INFO_PASSWORD",
            "folder": "INBOX",
            "after_fetch": "move",
            "processed_folder": "Verwerkt",
        },
    )

    assert response.status_code == 302
    mailbox = Mailbox.objects.get(name="info")
    assert (mailbox.host, mailbox.secret_env) == ("imap.example.nl", "MAILBOX_INFO_PASSWORD")


def test_the_form_never_asks_for_or_shows_a_secret(manager_client):
    mailbox = MailboxFactory()

    page = manager_client.get(reverse("mailbox_edit", args=[mailbox.pk])).content.decode()

    assert 'type="password"' not in page
    assert "MAILBOX_TEST_PASSWORD" in page  # only the variable's name


def test_a_form_naming_another_variable_is_refused_and_saves_nothing(manager_client):
    response = manager_client.post(
        reverse("mailbox_create"),
        {
            "name": "info",
            "address": "info@pso-nederland.nl",
            "kind": "imap",
            "host": "imap.example.nl",
            "security": "tls",
            "auth": "password",
            "secret_env": "SECRET_KEY",
            "folder": "INBOX",
            "after_fetch": "move",
            "processed_folder": "Verwerkt",
        },
    )

    assert response.status_code == 200
    assert not Mailbox.objects.exists()


def test_saving_the_form_keeps_the_state_the_polls_wrote(manager_client):
    mailbox = MailboxFactory(name="info", address="info@pso.test")
    form = {
        "name": "info",
        "address": "info@pso.test",
        "kind": "imap",
        "active": "on",
        "host": "127.0.0.1",
        "security": "tls",
        "auth": "password",
        "secret_env": "MAILBOX_TEST_PASSWORD",
        "folder": "INBOX",
        "after_fetch": "move",
        "processed_folder": "Processed",
    }
    page = manager_client.get(reverse("mailbox_edit", args=[mailbox.pk]))
    assert page.status_code == 200
    Mailbox.objects.filter(pk=mailbox.pk).update(taken_in=7)  # a poll, meanwhile

    manager_client.post(reverse("mailbox_edit", args=[mailbox.pk]), form)

    assert Mailbox.objects.get(pk=mailbox.pk).taken_in == 7


def test_test_connection_shows_the_error_in_plain_words(
    manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.delenv("MAILBOX_TEST_PASSWORD", raising=False)
    mailbox = MailboxFactory()

    with django_capture_on_commit_callbacks(execute=True):  # the worker, at once
        manager_client.post(reverse("mailbox_test", args=[mailbox.pk]), HTTP_ACCEPT_LANGUAGE="en")
    response = manager_client.get(reverse("mailbox_list"), HTTP_ACCEPT_LANGUAGE="en")

    assert "the password or secret is not set on the server" in response.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.problem == Problem.SECRET_MISSING


def test_staff_cannot_open_the_mailboxes_page(staff_client):
    assert staff_client.get(reverse("mailbox_list")).status_code == 403


def test_the_migrations_install_the_every_minute_poll(db):
    schedule = Schedule.objects.get(name=POLL_SCHEDULE_NAME)

    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (POLL_TASK, "I", 1)
