"""Managers add phone systems (the token shown once, stored hashed) and revoke them."""

from __future__ import annotations

import pytest

from telephony.models import PhoneSystem
from telephony.signing import token_hash
from tests.factories import PhoneSystemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGE = "/telephony/systems/"


def test_a_manager_adds_a_phone_system_and_sees_its_token_once(manager_client):
    response = manager_client.post(
        PAGE,
        {"name": "3CX kantoor", "allowed_networks": "192.0.2.0/24", "book_missed_callbacks": "on"},
    )

    page = response.content.decode()
    system = PhoneSystem.objects.get()
    token = page.split("/cti/", 1)[1].split("/", 1)[0]
    assert system.token_hash == token_hash(token)
    assert token not in PhoneSystem.objects.values_list("token_hash", flat=True)[0]
    assert f"/cti/{token}/voys/" in page
    assert token not in manager_client.get(PAGE).content.decode()


def test_a_bad_network_is_refused_with_a_message(manager_client):
    response = manager_client.post(PAGE, {"name": "Asterisk", "allowed_networks": "192.0.2.999"})

    assert PhoneSystem.objects.count() == 0
    assert "is not an address or network" in response.content.decode()


def test_a_manager_revokes_a_token(manager_client, client):
    system = PhoneSystemFactory()

    manager_client.post(f"/telephony/systems/{system.pk}/revoke/")

    system.refresh_from_db()
    assert system.revoked_at is not None
    refused = client.post(f"/cti/{system.token}/", {"event": "newCall", "callId": "1"})
    assert refused.status_code == 401


def test_staff_cannot_manage_phone_systems(staff_client):
    system = PhoneSystemFactory()

    assert staff_client.get(PAGE).status_code == 403
    assert staff_client.post(f"/telephony/systems/{system.pk}/revoke/").status_code == 403
    system.refresh_from_db()
    assert system.revoked_at is None
