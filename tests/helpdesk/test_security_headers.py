"""Defence in depth: every page says what the browser may load and use, and sessions end.

Content-Security-Policy and Permissions-Policy on the pages (signed in or not),
sessions that end when idle and when the browser closes, and ADMINS from the
environment.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return dict(directives)


def assert_headers(response) -> None:
    assert policy(response["Content-Security-Policy"]) == EXPECTED_CSP
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_the_sign_in_page_carries_both_policies(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_headers(response)


def test_a_signed_in_page_carries_both_policies(staff_client):
    response = staff_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert_headers(response)


def test_error_pages_carry_both_policies(staff_client):
    assert_headers(staff_client.get("/no-such-page/"))
    assert_headers(staff_client.get(reverse("report")))


def test_the_admin_carries_both_policies(manager_client):
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_headers(response)


@pytest.mark.parametrize("name", ["dashboard", "call_log", "case_list", "login"])
def test_pages_have_no_inline_script_or_style(client, staff_user, name):
    if name != "login":
        client.force_login(staff_user)
    page = client.get(reverse(name)).content.decode()
    assert "<script>" not in page
    assert " style=" not in page
    assert " onchange=" not in page and " onclick=" not in page
    assert "includeIndicatorStyles" in page  # htmx adds no <style> of its own


# --- Sessions ----------------------------------------------------------------------------


def test_sessions_end_after_the_idle_time_and_with_the_browser():
    # The default of eight hours is checked below, in a Python of its own.
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    # The idle clock moves on by the refresh middleware, not a write per request.
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_the_session_cookie_is_a_browser_session_cookie(client, staff_user):
    client.post(reverse("login"), {"username": "sanne", "password": "sanne-pass-123"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert not cookie["max-age"] and not cookie["expires"]


def test_use_moves_the_idle_expiry_on_at_most_once_a_minute(staff_client):
    signed_in_expiry = Session.objects.get().expire_date

    # Within the minute after signing in: the session is not written again.
    with CaptureQueriesContext(connection) as first:
        staff_client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as second:
        staff_client.get(reverse("dashboard"))
    assert Session.objects.get().expire_date == signed_in_expiry
    for request in (first, second):
        assert not [
            q
            for q in request.captured_queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
        ]

    # A minute later the next request moves the expiry on, by that minute.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        staff_client.get(reverse("dashboard"))
        moved = Session.objects.get().expire_date
        assert moved - signed_in_expiry >= dt.timedelta(seconds=61)
        # ...and not again within the next minute.
        staff_client.get(reverse("dashboard"))
        assert Session.objects.get().expire_date == moved


def test_a_session_idle_too_long_has_ended(staff_client):
    later = timezone.now() + dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1)
    with time_machine.travel(later):
        response = staff_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_idle_session_has_ended(staff_client):
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    response = staff_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_get_no_session_from_the_idle_middleware(client, db):
    client.get(reverse("login"))
    assert Session.objects.count() == 0


# --- Settings from the environment (a fresh Python each: settings are read once) -------

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.SESSION_COOKIE_AGE, settings.ADMINS]))"
)


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SESSION_IDLE_SECONDS", "ADMINS"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        HELPDESK_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="settings-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_idle_time_and_the_admins_come_from_the_environment(tmp_path):
    result = settings_with(
        tmp_path,
        SESSION_IDLE_SECONDS="1800",
        ADMINS="Helpdesk beheer <beheer@pso.nl>, ops@pso.nl",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[1800, [["Helpdesk beheer", "beheer@pso.nl"], ["", "ops@pso.nl"]]]'
    )


def test_without_admins_nobody_is_mailed(tmp_path):
    result = settings_with(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[28800, []]"


@pytest.mark.parametrize(
    "env",
    [{"ADMINS": "beheer, ops"}, {"SESSION_IDLE_SECONDS": "10"}, {"SESSION_IDLE_SECONDS": "x"}],
    ids=["admins-without-address", "idle-too-short", "idle-not-a-number"],
)
def test_unusable_values_stop_the_start(tmp_path, env):
    result = settings_with(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
