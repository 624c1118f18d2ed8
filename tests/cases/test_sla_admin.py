"""Managers change the response targets and urgency words in the administration."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models.targets import SlaTarget, UrgencyKeyword

pytestmark = pytest.mark.django_db


def _change_url(target: SlaTarget) -> str:
    return f"/admin/cases/slatarget/{target.pk}/change/"


def test_manager_changes_a_target(manager_client):
    target = SlaTarget.objects.get(channel="email", priority="urgent")
    response = manager_client.post(
        _change_url(target), {"channel": "email", "priority": "urgent", "working_time": "04:00:00"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.working_time == dt.timedelta(hours=4)


def test_zero_target_is_refused_with_a_message_and_the_input_kept(manager_client):
    target = SlaTarget.objects.get(channel="email", priority="urgent")
    response = manager_client.post(
        _change_url(target),
        {"channel": "email", "priority": "urgent", "working_time": "00:00:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A target must be more than zero working time." in response.content.decode()
    target.refresh_from_db()
    assert target.working_time == dt.timedelta(hours=8)


def test_a_second_target_for_the_same_channel_and_priority_is_refused(manager_client):
    response = manager_client.post(
        "/admin/cases/slatarget/add/",
        {"channel": "email", "priority": "urgent", "working_time": "02:00:00"},
    )
    assert response.status_code == 200
    assert SlaTarget.objects.filter(channel="email", priority="urgent").count() == 1


def test_manager_adds_an_urgency_word(manager_client):
    response = manager_client.post(
        "/admin/cases/urgencykeyword/add/", {"word": " Dringend ", "active": "on"}
    )
    assert response.status_code == 302
    assert UrgencyKeyword.objects.filter(word="dringend", active=True).exists()


def test_staff_may_only_view_targets(staff_user):
    assert staff_user.has_perm("cases.view_slatarget")
    assert not staff_user.has_perm("cases.change_slatarget")
    assert not staff_user.has_perm("cases.change_urgencykeyword")
