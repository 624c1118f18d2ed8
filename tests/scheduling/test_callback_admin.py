"""Callback configuration in the admin: managers change capacity, staff only look."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CallbackFactory

pytestmark = pytest.mark.django_db


def test_managers_change_the_capacity_per_weekday_and_date(manager_client):
    assert (
        manager_client.get(
            reverse("admin:scheduling_callbackweekdaycapacity_changelist")
        ).status_code
        == 200
    )
    response = manager_client.post(
        reverse("admin:scheduling_callbackdatecapacity_add"),
        {"date": "2026-12-28", "capacity": "0", "note": "Tussen kerst en oud en nieuw"},
    )
    assert response.status_code == 302


def test_staff_may_not_change_capacity(staff_user, client):
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(reverse("admin:scheduling_callbackdatecapacity_add")).status_code == 403


def test_callbacks_are_listed_but_not_added_in_the_admin(manager_client):
    CallbackFactory()
    assert manager_client.get(reverse("admin:scheduling_callback_changelist")).status_code == 200
    assert manager_client.get(reverse("admin:scheduling_callback_add")).status_code == 403
