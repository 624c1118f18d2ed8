"""Two-factor sign-in: setting it up, signing in with a code, and its enforcement by group."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.roles import MANAGER_GROUP
from staff.services import two_factor_backup_codes_renew
from tests.staff.conftest import code_for

pytestmark = pytest.mark.django_db

SETUP = reverse("two_factor_setup")
CODE = reverse("login_code")
DASHBOARD = reverse("dashboard")
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sanne_with_app(staff_user):
    """Sanne with a confirmed authenticator app and backup codes."""
    device = TOTPDevice.objects.create(user=staff_user, name="Authenticator", confirmed=True)
    codes = two_factor_backup_codes_renew(user=staff_user)
    return staff_user, device, codes


@pytest.fixture
def managers_must(settings):
    settings.OTP_REQUIRED_GROUPS = [MANAGER_GROUP]


def password_step(client: Client, next_url: str = ""):
    extra = {"next": next_url} if next_url else {}
    return client.post(
        reverse("login"), {"username": "sanne", "password": "sanne-pass-123", **extra}
    )


# --- Setting it up ----------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_key(staff_client, staff_user):
    page = staff_client.get(SETUP)

    assert page.status_code == 200
    text = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert "issuer=PSO-helpdesk" in device.config_url
    # A reload shows the same key: the app scanned a moment ago stays right.
    assert staff_client.get(SETUP).context["secret"] == page.context["secret"]


def test_confirming_with_a_code_switches_it_on_and_shows_backup_codes(
    clock, staff_client, staff_user
):
    staff_client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff_user)

    response = staff_client.post(SETUP, {"code": code_for(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = response.context["codes"]
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=staff_user).values_list(
        "token", flat=True))  # fmt: skip
    assert "no-store" in response["Cache-Control"]
    # This session entered the code: it goes on without being asked again.
    assert staff_client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_does_not_switch_it_on(clock, staff_client, staff_user):
    staff_client.get(SETUP)

    response = staff_client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.get(user=staff_user).confirmed


# --- Signing in with a code -------------------------------------------------------------------


def test_after_the_password_a_user_with_the_app_is_asked_for_the_code(client, sanne_with_app):
    response = password_step(client, next_url="/cases/")

    assert response.status_code == 302
    assert response["Location"] == f"{CODE}?next=%2Fcases%2F"
    # Signed in by password only: every page sends them back to the code.
    page = client.get(DASHBOARD)
    assert page.status_code == 302
    assert page["Location"].startswith(CODE)
    assert client.get(reverse("case_list")).status_code == 302
    assert client.get(SETUP).status_code == 302


def test_a_valid_code_completes_the_sign_in(clock, client, sanne_with_app):
    _, device, _ = sanne_with_app
    password_step(client, next_url="/cases/")

    response = client.post(CODE, {"code": code_for(device), "next": "/cases/"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_is_refused(clock, client, sanne_with_app):
    password_step(client)

    response = client.post(CODE, {"code": "123456"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get(DASHBOARD)["Location"].startswith(CODE)


def test_a_wrong_code_is_not_kept_in_the_records_of_failures(clock, client, sanne_with_app):
    password_step(client)

    client.post(CODE, {"code": "987654"})

    attempt = AccessAttempt.objects.get(username="sanne")
    assert "987654" not in attempt.post_data


def test_a_code_is_accepted_only_once(clock, client, sanne_with_app):
    _, device, _ = sanne_with_app
    code = code_for(device)
    password_step(client)
    client.post(CODE, {"code": code})
    other = Client()
    password_step(other)

    response = other.post(CODE, {"code": code})

    assert response.status_code == 200
    assert other.get(DASHBOARD).status_code == 302


def test_a_backup_code_works_once(clock, client, sanne_with_app):
    _, _, codes = sanne_with_app
    password_step(client)

    assert client.post(CODE, {"code": codes[0].upper()})["Location"] == DASHBOARD
    again = Client()
    password_step(again)
    assert again.post(CODE, {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.count() == 9


def test_wrong_codes_count_towards_the_lockout(clock, client, sanne_with_app):
    _, device, _ = sanne_with_app
    password_step(client)
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        clock.shift(dt.timedelta(minutes=1))  # past the app's own slow-down after a wrong code
        statuses.append(client.post(CODE, {"code": "000000"}).status_code)

    assert statuses[-1] == 429
    assert "_auth_user_id" not in client.session
    clock.shift(dt.timedelta(minutes=1))
    assert password_step(client).status_code == 429


def test_a_session_signed_in_elsewhere_without_a_code_is_asked_for_it(client, sanne_with_app):
    # The administration's own login, or any other way to a session, checks no code.
    user, _, _ = sanne_with_app
    client.force_login(user)

    assert client.get(DASHBOARD)["Location"].startswith(CODE)
    assert client.get(reverse("admin:index"))["Location"].startswith(CODE)


def test_an_htmx_request_is_sent_to_the_code_page_as_a_whole_page(client, sanne_with_app):
    password_step(client)

    response = client.get(reverse("case_list"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(CODE)


def test_users_without_the_app_are_not_asked_and_cost_no_extra_query(client, staff_user):
    assert password_step(client)["Location"] == DASHBOARD

    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200

    assert not [query for query in queries if "otp_" in query["sql"]]


def test_the_code_page_is_dutch(client, sanne_with_app):
    password_step(client)

    page = client.get(CODE).content.decode()

    assert "Inlogcode" in page


# --- Enforcement for OTP_REQUIRED_GROUPS ----------------------------------------------------------


def test_a_manager_without_the_app_is_sent_to_set_it_up(managers_must, manager_client):
    response = manager_client.get(reverse("case_list"))

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fcases%2F"
    assert manager_client.get(reverse("admin:index"))["Location"].startswith(SETUP)
    assert manager_client.get(SETUP).status_code == 200
    assert manager_client.post(reverse("logout")).status_code == 302


def test_staff_are_not_forced_when_only_managers_must(managers_must, staff_client):
    assert staff_client.get(DASHBOARD).status_code == 200


def test_once_set_up_the_manager_goes_on(clock, managers_must, manager_client, manager_user):
    manager_client.get(SETUP)
    device = TOTPDevice.objects.get(user=manager_user)

    manager_client.post(SETUP, {"code": code_for(device)})

    assert manager_client.get(reverse("case_list")).status_code == 200


def test_a_user_who_must_have_it_cannot_switch_it_off(clock, managers_must, manager_client):
    manager_client.get(SETUP)
    user = manager_client.get(DASHBOARD).wsgi_request.user
    device = TOTPDevice.objects.get(user=user)
    manager_client.post(SETUP, {"code": code_for(device)})
    clock.shift(dt.timedelta(minutes=1))

    manager_client.post(SETUP, {"action": "remove", "code": code_for(device)})

    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_switching_it_off_needs_a_current_code(clock, client, sanne_with_app):
    _, device, _ = sanne_with_app
    password_step(client)
    client.post(CODE, {"code": code_for(device)})
    clock.shift(dt.timedelta(minutes=1))

    client.post(SETUP, {"action": "remove", "code": "000000"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    clock.shift(dt.timedelta(minutes=1))
    client.post(SETUP, {"action": "remove", "code": code_for(device)})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert client.get(DASHBOARD).status_code == 200
