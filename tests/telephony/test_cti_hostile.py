"""Bad and hostile posts to the call-event endpoint: a clear 4xx, and nothing half-made."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cases.models import Case, PhoneCall
from scheduling.models import Callback
from telephony.models import Call, CallEvent
from telephony.services import phone_system_revoke
from telephony.signing import signature
from tests.factories import CallerCaseFactory, PhoneSystemFactory
from tests.telephony.bridge import zammad
from tests.timehelpers import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


def url(system, tail=""):
    return f"/cti/{system.token}/{tail}"


def post_json(client, address, data, **extra):
    return client.post(address, json.dumps(data), content_type="application/json", **extra)


def nothing_stored():
    return (
        Call.objects.count(),
        CallEvent.objects.count(),
        Case.objects.count(),
        PhoneCall.objects.count(),
        Callback.objects.count(),
    ) == (0, 0, 0, 0, 0)


def test_an_unknown_token_is_refused(client):
    response = post_json(client, "/cti/not-a-token/", zammad("newCall", "x-1"))

    assert response.status_code == 401
    assert response.json() == {"error": "unknown token"}
    assert nothing_stored()


def test_a_revoked_token_is_refused_and_says_so(client, system):
    phone_system_revoke(system=system)

    response = post_json(client, url(system), zammad("newCall", "x-1"))

    assert response.status_code == 401
    assert "revoked" in response.json()["error"]
    assert nothing_stored()


def test_a_signed_phone_system_needs_the_right_signature(client):
    system = PhoneSystemFactory(signing_secret="gedeeld-geheim")
    body = json.dumps(zammad("newCall", "x-1"))

    unsigned = client.post(url(system), body, content_type="application/json")
    wrong = client.post(
        url(system),
        body,
        content_type="application/json",
        headers={"X-Signature": signature("ander-geheim", body.encode())},
    )
    assert (unsigned.status_code, wrong.status_code) == (401, 401)
    assert nothing_stored()

    right = client.post(
        url(system),
        body,
        content_type="application/json",
        headers={"X-Signature": signature("gedeeld-geheim", body.encode())},
    )
    assert right.status_code == 200
    assert Call.objects.count() == 1


def test_an_address_outside_the_allow_list_is_refused(client):
    system = PhoneSystemFactory(allowed_networks="192.0.2.0/24\n2001:db8::1")

    outside = post_json(client, url(system), zammad("newCall", "x-1"), REMOTE_ADDR="198.51.100.7")
    inside = post_json(client, url(system), zammad("newCall", "x-2"), REMOTE_ADDR="192.0.2.44")

    assert outside.status_code == 403
    assert inside.status_code == 200
    assert list(Call.objects.values_list("call_id", flat=True)) == ["x-2"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"[1, 2]", "application/json", 400, "JSON object"),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400, "JSON"),
        (json.dumps({"event": "ring", "callId": "x"}).encode(), "application/json", 400, "event"),
        (json.dumps({"event": "newCall"}).encode(), "application/json", 400, "callId"),
        (
            json.dumps(zammad("hangup", "x", cause="explosion")).encode(),
            "application/json",
            400,
            "cause",
        ),
        (
            json.dumps(zammad("newCall", "x", caller="<script>")).encode(),
            "application/json",
            400,
            "not a phone number",
        ),
        (
            json.dumps(zammad("newCall", "x", queue="hulp\x00desk")).encode(),
            "application/json",
            400,
            "NUL",
        ),
        (
            json.dumps(zammad("newCall", "x", direction="sideways")).encode(),
            "application/json",
            400,
            "direction",
        ),
        (json.dumps(zammad("newCall", "x" * 251)).encode(), "application/json", 400, "callId"),
        (
            json.dumps(zammad("newCall", "x", user={"naam": 1})).encode(),
            "application/json",
            400,
            "user",
        ),
        (b"event=newCall&callId=\xff", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (b"event=newCall", "text/plain", 415, "JSON"),
    ],
    ids=[
        "broken-json",
        "json-array",
        "deeply-nested",
        "unknown-event",
        "no-call-id",
        "bad-cause",
        "from-is-markup",
        "nul",
        "bad-direction",
        "call-id-too-long",
        "user-not-names",
        "form-not-utf8",
        "plain-text",
    ],
)
def test_a_malformed_post_is_refused_with_the_reason(
    client, system, body, content_type, status, says
):
    response = client.post(url(system), body, content_type=content_type)

    assert response.status_code == status
    assert says in response.json()["error"]
    assert nothing_stored()


def test_a_huge_post_is_refused_before_it_is_read(client, system, settings):
    settings.TELEPHONY_MAX_PAYLOAD_BYTES = 4096
    data = zammad("newCall", "x-1", queue="")
    data["padding"] = "x" * 5000

    response = post_json(client, url(system), data)

    assert response.status_code == 413
    assert nothing_stored()


def test_a_number_that_cannot_be_called_is_logged_but_not_called_back(client, system):
    for event in (
        zammad("newCall", "x-1", caller="12"),
        zammad("hangup", "x-1", caller="12", cause="noAnswer"),
    ):
        assert post_json(client, url(system), event).status_code == 200

    call = Call.objects.get()
    assert call.missed and call.number == "" and call.from_raw == "12"
    assert Callback.objects.count() == 0


def test_a_get_is_not_an_event(client, system):
    assert client.get(url(system)).status_code == 405


def test_an_event_storm_is_cut_off_and_a_retry_still_gets_its_answer(
    client, system, settings, staff_user, django_assert_max_num_queries
):
    settings.TELEPHONY_EVENTS_PER_MINUTE = 50
    CallerCaseFactory()
    answers = [
        post_json(client, url(system), zammad("newCall", f"storm-{n}")).status_code
        for n in range(80)
    ]

    assert answers == [200] * 50 + [429] * 30
    assert Call.objects.count() == CallEvent.objects.count() == 50
    refused = post_json(client, url(system), zammad("newCall", "storm-79"))
    assert refused["Retry-After"] == "60"
    retry = post_json(client, url(system), zammad("newCall", "storm-0"))
    assert (retry.status_code, retry.json()) == (200, {})
    # The staff pages are not held up by the storm: the caller log answers at its usual cost.
    staff = Client()
    staff.force_login(staff_user)
    with django_assert_max_num_queries(12):
        assert staff.get("/telephony/calls/").status_code == 200
