"""The pop-up's quiet poll from the cache: when the cached answer is used, and when not."""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from telephony.events import cti_event_receive
from telephony.models import Call
from telephony.payloads import zammad_event
from telephony.polling import poll_token, poll_token_user, unchanged_poll
from telephony.ringing import (
    GENERATION,
    RINGING,
    RINGING_CACHE_SECONDS,
    cache_seconds,
    ringing_key_cached,
    ringing_key_refresh,
)
from telephony.selectors import RINGING_WINDOW
from tests.factories import PhoneSystemFactory, StaffUserFactory
from tests.telephony.bridge import zammad
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

RINGING_URL = "/telephony/ringing/"


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


def next_poll(response) -> dict:
    url = html.unescape(response.content.decode().split('hx-get="', 1)[1].split('"', 1)[0])
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_a_call_that_starts_ringing_is_shown_although_quiet_was_cached(staff_client, system):
    poll = next_poll(staff_client.get(RINGING_URL))
    assert staff_client.get(RINGING_URL, poll).status_code == 204  # "quiet" now cached

    ring(system, "c-1")
    response = staff_client.get(RINGING_URL, poll)

    assert response.status_code == 200
    assert "The phone rings" in response.content.decode()


def test_the_answer_of_a_shown_call_is_shown_at_the_next_poll(staff_client, system):
    ring(system, "c-1")
    shown = next_poll(staff_client.get(RINGING_URL, {"shown": ""}))
    assert staff_client.get(RINGING_URL, shown).status_code == 204

    ring(system, "c-1", event="answer", user=["Sanne de Vries"])
    response = staff_client.get(RINGING_URL, shown)

    assert response.status_code == 200
    assert "You took this call" in response.content.decode()


def test_a_key_cached_under_an_old_generation_is_not_used(system):
    """The race the generation closes: a poll read the calls, then an event was stored,
    then the poll cached what it had read. That key must not be believed."""
    ringing_key_refresh(None)  # an earlier poll made the generation
    read_before = cache.get(GENERATION)
    ring(system, "c-1")  # stored and committed meanwhile: a new generation
    cache.set(RINGING, (read_before, ""))  # the slow poll caches "nothing rings"

    assert ringing_key_cached(cache.get_many([GENERATION, RINGING])) is None


def test_the_generation_changes_when_the_event_commits_and_not_before(
    system, django_capture_on_commit_callbacks
):
    ringing_key_refresh(None)  # an earlier poll made the generation
    stored = cache.get(GENERATION)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cti_event_receive(
            system=system,
            event=zammad_event(zammad("newCall", "c-1")),
            payload={},
            now=timezone.now(),
        )
    assert cache.get(GENERATION) == stored  # until the commit, the calls read are right

    for callback in callbacks:
        callback()

    assert cache.get(GENERATION) != stored


def test_a_lost_cache_costs_one_lookup_and_still_answers_right(staff_client, system):
    poll = next_poll(staff_client.get(RINGING_URL))
    assert staff_client.get(RINGING_URL, poll).status_code == 204
    ring(system, "c-1")
    cache.delete_many([GENERATION, RINGING])

    assert not unchanged_poll(poll["poll"], "")


def test_the_key_is_cached_only_until_the_oldest_call_leaves_the_ringing_window(system):
    now = local(2026, 11, 30, 10)
    quiet = cache_seconds([], now=now)
    leaving = Call(started_at=now - RINGING_WINDOW + dt.timedelta(seconds=12))
    gone = Call(started_at=now - RINGING_WINDOW - dt.timedelta(minutes=1))

    assert quiet == RINGING_CACHE_SECONDS
    assert cache_seconds([leaving], now=now) == 12
    assert cache_seconds([gone], now=now) == 1


# --- Signing out ends the poll token ----------------------------------------------------------


def test_after_signing_out_the_next_poll_with_the_old_token_is_refused(staff_client, system):
    poll = next_poll(staff_client.get(RINGING_URL))
    assert staff_client.get(RINGING_URL, poll).status_code == 204

    assert staff_client.post("/accounts/logout/").status_code == 302
    response = staff_client.get(RINGING_URL, poll)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_old_token_stays_refused_after_signing_in_again(client, staff_user, system):
    client.force_login(staff_user)
    old = next_poll(client.get(RINGING_URL))
    client.post("/accounts/logout/")
    client.force_login(staff_user)

    assert poll_token_user(old["poll"]) is None
    renewed = client.get(RINGING_URL, old)  # the signed-in view hands out a new token
    assert renewed.status_code == 200
    assert next_poll(renewed)["poll"] != old["poll"]
    assert poll_token_user(next_poll(renewed)["poll"]) == staff_user.pk


def test_a_colleague_signing_out_leaves_my_token_alone(client, staff_user, system):
    colleague = StaffUserFactory(first_name="Piet", last_name="Smit")
    mine = poll_token(staff_user.pk)
    client.force_login(colleague)
    client.post("/accounts/logout/")

    assert poll_token_user(mine) == staff_user.pk


def test_a_forged_grant_is_refused(staff_user):
    forged = signing.TimestampSigner(salt="telephony.ringing-poll").sign(f"{staff_user.pk}.guess")
    poll_token(staff_user.pk)

    assert poll_token_user(forged) is None
    assert not unchanged_poll(forged, "")
