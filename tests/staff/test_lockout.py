"""Repeated wrong passwords lock the account from that address, and the address itself.

A locked-out attempt is refused before any password is hashed, so a flood of them
costs the server next to nothing.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.test import Client, RequestFactory
from django.urls import reverse

from staff.client_ip import client_ip
from staff.lockout import REFUSAL_MEMORY_SECONDS
from staff.services import staff_member_lockout_clear
from tests.staff.conftest import sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def fail(client: Client, times: int, username: str = "sanne", **extra) -> list[int]:
    return [sign_in(client, username, "not-my-password", **extra).status_code for _ in range(times)]


def test_the_lockout_backend_comes_before_the_password_check():
    assert settings.AUTHENTICATION_BACKENDS[0] == "staff.backends.LockoutBackend"
    assert settings.AUTHENTICATION_BACKENDS[-1] == "django.contrib.auth.backends.ModelBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_a_wrong_password_below_the_limit_shows_the_form_again(client, staff_user):
    response = sign_in(client, "sanne", "not-my-password")

    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_limit_locks_the_account_from_that_address_even_for_the_right_password(
    client, staff_user
):
    limit = settings.AXES_FAILURE_LIMIT

    statuses = fail(client, limit)
    response = sign_in(client, "sanne", "sanne-pass-123")

    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Inloggen is even geblokkeerd" in page
    assert "15 minuten" in page
    assert reverse("password_reset") in page


def test_the_default_limit_and_cool_off_come_from_the_environment_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == dt.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]


def test_the_lockout_ends_after_the_cool_off(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, settings.AXES_FAILURE_LIMIT)
        traveller.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=5))
        assert sign_in(client, "sanne", "sanne-pass-123").status_code == 429

        traveller.shift(dt.timedelta(seconds=10))
        response = sign_in(client, "sanne", "sanne-pass-123")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_attempts_while_locked_out_do_not_prolong_the_lockout(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, settings.AXES_FAILURE_LIMIT)
        for _ in range(10):
            traveller.shift(dt.timedelta(minutes=1))
            fail(client, 1)
        # Ten minutes of refused attempts have passed; the lockout still ends on time.
        assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
        traveller.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=10, seconds=-5))
        response = sign_in(client, "sanne", "sanne-pass-123")

    assert response.status_code == 302


def test_one_address_guessing_many_accounts_is_locked_for_all_of_them(client, staff_user):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, 1, username=f"guess-{number}")

    assert sign_in(client, "sanne", "sanne-pass-123").status_code == 429


def test_other_addresses_can_still_sign_in_to_the_locked_account(client, staff_user):
    fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="198.51.100.7")

    response = sign_in(Client(), "sanne", "sanne-pass-123", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 302


def test_a_locked_out_attempt_never_reaches_the_password_hasher(client, staff_user, hash_calls):
    fail(client, settings.AXES_FAILURE_LIMIT)
    hashed_before = hash_calls()

    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as password_check:
        responses = [sign_in(client, "sanne", "sanne-pass-123") for _ in range(20)]
        responses += [sign_in(client, "nobody-at-all", "whatever") for _ in range(20)]

    assert {response.status_code for response in responses} == {429}
    assert password_check.call_count == 0
    assert hash_calls() == hashed_before


def test_wrong_passwords_below_the_limit_are_hashed_as_usual(client, staff_user, hash_calls):
    fail(client, 2)

    assert hash_calls() == 2


def test_the_test_clients_login_without_a_request_still_signs_in(client, staff_user):
    # Django's test client calls authenticate() without a request; there is nothing to count.
    assert client.login(username="sanne", password="sanne-pass-123")


def test_lockout_can_be_switched_off_for_measurements(client, staff_user, settings):
    settings.AXES_ENABLED = False

    statuses = fail(client, settings.AXES_FAILURE_LIMIT + 3)

    assert set(statuses) == {200}
    assert sign_in(client, "sanne", "sanne-pass-123").status_code == 302


def test_a_flood_from_a_locked_address_is_refused_without_a_query(
    client, staff_user, django_assert_num_queries
):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, 1, username=f"guess-{number}")
    fail(client, 1, username="guess-again")  # asks axes once, then remembers

    with django_assert_num_queries(0):
        statuses = [fail(client, 1, username=f"spray-{number}")[0] for number in range(20)]

    assert set(statuses) == {429}


def test_an_unlock_is_seen_at_once(client, staff_user):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, "sanne", "sanne-pass-123").status_code == 429

    staff_member_lockout_clear(username="sanne")

    assert sign_in(client, "sanne", "sanne-pass-123").status_code == 302


def test_a_remembered_refusal_lasts_only_seconds_then_axes_decides_again(client, staff_user):
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, settings.AXES_FAILURE_LIMIT + 1)
        # The records go (as when another process unlocks) without this process hearing.
        AccessAttempt.objects.all()._raw_delete(AccessAttempt.objects.db)
        assert sign_in(client, "sanne", "sanne-pass-123").status_code == 429

        traveller.shift(dt.timedelta(seconds=REFUSAL_MEMORY_SECONDS + 1))
        assert sign_in(client, "sanne", "sanne-pass-123").status_code == 302


def test_the_lockout_page_follows_the_browsers_language(client, staff_user):
    fail(client, settings.AXES_FAILURE_LIMIT)

    page = sign_in(client, "sanne", "sanne-pass-123", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 429
    assert "Signing in is blocked for now" in page.content.decode()
    assert page["Content-Language"] == "en"


# --- The address behind the TLS proxy ----------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    settings.SIGN_IN_IP_FROM_FORWARDED_FOR = True
    settings.SIGN_IN_TRUSTED_PROXIES = ["127.0.0.1"]


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_without_the_proxy_the_forwarded_header_is_ignored():
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_the_proxy_the_address_it_forwarded_counts(behind_proxy):
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_behind_the_proxy_addresses_the_client_made_up_are_ignored(behind_proxy):
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    assert client_ip(request_from("127.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_behind_the_proxy_a_direct_request_cannot_choose_its_address(behind_proxy):
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_the_proxy_a_malformed_header_falls_back_to_the_proxy(behind_proxy):
    assert client_ip(request_from("127.0.0.1", "203.0.113.9, not-an-address")) == "127.0.0.1"


def test_behind_the_proxy_the_lockout_is_per_client_not_per_proxy(behind_proxy, staff_user):
    guesser, colleague = Client(), Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(guesser, 1, username=f"guess-{number}", HTTP_X_FORWARDED_FOR="203.0.113.9")

    locked = sign_in(guesser, "sanne", "sanne-pass-123", HTTP_X_FORWARDED_FOR="203.0.113.9")
    allowed = sign_in(colleague, "sanne", "sanne-pass-123", HTTP_X_FORWARDED_FOR="192.0.2.44")

    assert locked.status_code == 429
    assert allowed.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").count() == 0
