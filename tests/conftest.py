"""Shared test set-up: settings for a test run, and one named user per role."""

from __future__ import annotations

import os

# The suite runs production-like (DEBUG off), so it needs what production needs.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Queued tasks (mail processing) run at once, in the test's own process; the
# tests of the worker path switch it off for themselves.
os.environ.setdefault("Q_SYNC", "1")
# Named here rather than in pyproject.toml: pytest-django reads the settings from
# the ini file before this conftest runs, i.e. before the variables above are set.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Property tests: a quick look while working ("dev", the default: scripts/test) and a
# thorough one in CI (HYPOTHESIS_PROFILE=ci: .ci/run). No deadline in either: an example
# that meets the database or steps the reference calendar minute by minute is slow, not wrong.
hypothesis_settings.register_profile("dev", max_examples=30, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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


@pytest.fixture(autouse=True)
def _fresh_business_calendars():
    # The configured calendars are cached per process; a test's rolled-back configuration
    # must not leak into the next test.
    from calendars.configured import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def staff_user(db, django_user_model):
    from django.contrib.auth.models import Group

    from staff.roles import STAFF_GROUP

    user = django_user_model.objects.create_user(
        "sanne", password="sanne-pass-123", first_name="Sanne", last_name="de Vries"
    )
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def manager_user(db, django_user_model):
    from django.contrib.auth.models import Group

    from staff.roles import MANAGER_GROUP

    user = django_user_model.objects.create_user(
        "marco", password="marco-pass-123", first_name="Marco", last_name="Jansen", is_staff=True
    )
    user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def manager_client(client, manager_user):
    client.force_login(manager_user)
    return client
