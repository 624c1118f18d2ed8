"""Shared set-up of the sign-in tests: posting to the login form, counting hashing, TOTP codes."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

if TYPE_CHECKING:  # models cannot be imported before Django is set up
    from django_otp.plugins.otp_totp.models import TOTPDevice

#: The suite's fast hasher, counting how often a password is hashed or checked.
COUNTING_HASHER = "tests.staff.conftest.CountingHasher"


class CountingHasher(MD5PasswordHasher):
    calls = 0

    # Checking a password encodes it too, so this one method sees every hash computed.
    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _no_remembered_refusals():
    # Refusals are remembered per process for a few seconds; each test starts without.
    # Imported here: this file is loaded before Django is set up.
    from staff.lockout import refusals_forget

    refusals_forget()
    yield
    refusals_forget()


@pytest.fixture
def hash_calls(settings):
    """Number of password hashes since the test began (a call of ``hash_calls()``)."""
    settings.PASSWORD_HASHERS = [COUNTING_HASHER]
    CountingHasher.calls = 0
    return lambda: CountingHasher.calls


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now for ``device`` (time-machine moves "now")."""
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    return f"{generator.token():0{device.digits}d}"


def link_in(body: str) -> str:
    """The path of the first link to this site in a mail body."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)
