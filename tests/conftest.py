"""Shared test set-up: settings for a test run, one named user per role, the language."""

from __future__ import annotations

import os
import uuid

# The suite runs production-like (DEBUG off), so it needs what production needs.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Queued tasks (mail processing) run at once, in the test's own process; the
# tests of the worker path switch it off for themselves.
os.environ.setdefault("Q_SYNC", "1")
# Tests sign in at the real time and then travel days ahead: the idle limit of a
# session is tested on its own (tests/helpdesk), not in every test that travels.
os.environ.setdefault("SESSION_IDLE_SECONDS", str(365 * 24 * 3600))
# Named here rather than in pyproject.toml: pytest-django reads the settings from
# the ini file before this conftest runs, i.e. before the variables above are set.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Property tests: a quick look ("quick", the default: scripts/test and .ci/run, which must
# stay well inside CI's time) and a thorough one to run by hand before changing a time rule
# (HYPOTHESIS_PROFILE=thorough scripts/test tests/calendars tests/scheduling). No deadline
# in either: an example that meets the database or steps the reference calendar minute by
# minute is slow, not wrong.
hypothesis_settings.register_profile("quick", max_examples=30, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=300, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


def pytest_configure(config):
    # Read the settings now that the variables above are set; pytest-django's own
    # pytest_configure (which runs last) then sets Django up from them.
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage needs collectstatic; tests render pages without it.
    settings.STATIC_ROOT = None  # nothing collected: spare whitenoise looking for it
    # Production's password hashing is slow on purpose; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A cache of the test's own: nothing one test (or an earlier run) stored is seen
    # by the next, as the shared file cache of the embedded set-up would let it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def _fresh_business_calendars():
    # The configured calendars are cached per process; a test's rolled-back configuration
    # must not leak into the next test.
    from calendars.configured import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def calendars_read_once(monkeypatch):
    """The business calendars are re-read every ten seconds of the process's clock: one
    query that comes and goes with the speed of the machine, not with the data. Tests
    that count a page's queries keep the first reading."""
    monkeypatch.setattr("calendars.configured.CACHE_SECONDS", 1e9)


@pytest.fixture
def staff_user(db):
    from tests.factories import StaffUserFactory

    return StaffUserFactory(
        username="sanne", password="sanne-pass-123", first_name="Sanne", last_name="de Vries"
    )


@pytest.fixture
def manager_user(db):
    from tests.factories import ManagerUserFactory

    return ManagerUserFactory(
        username="marco", password="marco-pass-123", first_name="Marco", last_name="Jansen"
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def manager_client(client, manager_user):
    client.force_login(manager_user)
    return client


@pytest.fixture
def english(client):
    """The English source texts: the test's own language and the one its client asks for.

    The helpdesk's language (``settings.LANGUAGE_CODE``, Dutch) stays: what it writes in
    that language (the morning mail, warnings) is still Dutch; see ``helpdesk_in_english``.
    """
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture
def helpdesk_in_english(settings):
    """The helpdesk's own language set to English: pages asked for in no language, and the
    mails it writes in its own language, come out in the English source texts."""
    settings.LANGUAGE_CODE = "en"
