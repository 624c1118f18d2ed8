"""The signed link in the confirmation mail: see, move and cancel the callback; nothing else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from cases.models import Note
from public import tokens
from scheduling.callbacks.booking import callback_schedule
from scheduling.models import Callback, CallbackState, CallbackWeekdayCapacity
from tests.factories import CallerCaseFactory
from tests.public.conftest import started_value
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "thursday_afternoon")]


def _slot(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


@pytest.fixture
def booked(client, django_capture_on_commit_callbacks):
    """A callback booked on the public page for Monday 08:30, and the link from its mail."""
    page = client.get(reverse("public:callback")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("public:callback"),
            {
                "name": "Anouk Bakker",
                "phone": "0546 541 234",
                "email": "a.bakker@example.nl",
                "started": started_value(page),
                "slot": _slot(local(2026, 11, 30, 8, 30)),
            },
        )
    link = re.search(r"http://\S+/hulp/terugbellen/\S+/", mail.outbox[-1].body).group(0)
    return Callback.objects.get(), link.split("testserver", 1)[-1].split("8000", 1)[-1]


def test_the_link_shows_the_callback_in_words(client, booked):
    _callback, path = booked

    page = client.get(path).content.decode()

    assert "Monday 30 November between 08:30 and 08:45" in page
    assert "Scheduled" in page


def test_the_link_holds_no_personal_data(booked):
    callback, path = booked

    assert "541234" not in path and "bakker" not in path.lower()
    assert tokens.link_pk(tokens.CALLBACK, path.rstrip("/").rsplit("/", 1)[-1]) == callback.pk


def test_moving_takes_a_free_slot_and_frees_the_old_one(
    client, booked, django_capture_on_commit_callbacks
):
    callback, path = booked
    CallbackWeekdayCapacity.objects.update_or_create(weekday=0, defaults={"capacity": 1})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "verplaatsen/", {"slot": _slot(local(2026, 12, 2, 11, 0))})

    assert response.status_code == 200
    callback.refresh_from_db()
    assert callback.slot_start == local(2026, 12, 2, 11, 0)
    assert callback.promised_slot_start == local(2026, 12, 2, 11, 0)
    assert "Wednesday 2 December between 11:00 and 11:15" in mail.outbox[-1].subject
    assert Note.objects.filter(case=callback.case, body__icontains="2 december").count() == 1
    # Monday 08:30 (capacity 1) is free again for the next caller.
    other = callback_schedule(
        case=CallerCaseFactory(),
        number="+31546000001",
        actor=None,
        requested_at=local(2026, 11, 30, 8, 30),
    )
    assert other.slot_start == local(2026, 11, 30, 8, 30)


def test_moving_to_a_full_slot_is_refused_and_keeps_the_callback(client, booked):
    callback, path = booked
    CallbackWeekdayCapacity.objects.update_or_create(weekday=1, defaults={"capacity": 1})
    callback_schedule(
        case=CallerCaseFactory(),
        number="+31546000001",
        actor=None,
        requested_at=local(2026, 12, 1, 9, 0),
    )

    response = client.post(path + "verplaatsen/", {"slot": _slot(local(2026, 12, 1, 9, 0))})

    assert response.status_code == 409
    callback.refresh_from_db()
    assert callback.slot_start == local(2026, 11, 30, 8, 30)


def test_cancelling_frees_the_slot_at_once(client, booked, django_capture_on_commit_callbacks):
    callback, path = booked
    CallbackWeekdayCapacity.objects.update_or_create(weekday=0, defaults={"capacity": 1})
    assert (
        _slot(local(2026, 11, 30, 8, 30))
        not in client.get(reverse("public:callback")).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path + "annuleren/")

    assert response.status_code == 200
    callback.refresh_from_db()
    assert callback.state == CallbackState.CANCELLED
    assert "cancelled" in mail.outbox[-1].subject
    page = client.get(reverse("public:callback")).content.decode()
    assert f'value="{_slot(local(2026, 11, 30, 8, 30))}"' in page
    # Cancelled once; a second time only says it can no longer change.
    again = client.post(path + "annuleren/")
    assert again.status_code == 400
    assert "can no longer be changed" in again.content.decode()


def test_a_claimed_callback_can_no_longer_be_moved(client, booked, staff_user):
    callback, path = booked
    Callback.objects.filter(pk=callback.pk).update(
        state=CallbackState.IN_PROGRESS, claimed_by=staff_user
    )

    response = client.post(path + "verplaatsen/", {"slot": _slot(local(2026, 12, 2, 11, 0))})

    assert response.status_code == 400
    callback.refresh_from_db()
    assert callback.slot_start == local(2026, 11, 30, 8, 30)


@pytest.mark.parametrize(
    "token",
    [
        "made-up",
        signing.dumps(1, salt="something else"),
        tokens.link_token(tokens.QUESTION, 1),  # a question's link is not a callback's
        signing.dumps("1", salt=tokens.CALLBACK),
    ],
    ids=["made-up", "other-salt", "question-link", "string-id"],
)
def test_a_changed_or_foreign_link_is_refused_alike(client, booked, token):
    callback, _path = booked
    url = reverse("public:callback_manage", kwargs={"token": token})

    assert client.get(url).status_code == 404
    assert client.post(url + "annuleren/").status_code == 404
    callback.refresh_from_db()
    assert callback.state == CallbackState.SCHEDULED


def test_the_link_expires(client, booked, settings, time_machine):
    _callback, path = booked
    settings.PUBLIC_LINK_DAYS = 30
    time_machine.move_to(local(2026, 12, 27, 13, 0), tick=False)

    assert client.get(path).status_code == 404


def test_a_link_for_a_callback_that_is_gone_looks_like_any_bad_link(client):
    token = tokens.link_token(tokens.CALLBACK, 999_999)

    response = client.get(reverse("public:callback_manage", kwargs={"token": token}))

    assert response.status_code == 404
    assert "This link does not work (any more)" in response.content.decode()
