"""Hostile form posts get a clear answer and leave nothing half-made.

Far dates in a logged call or a forged callback slot, an import file with a NUL or
a cell over the csv module's limit, and a malformed JSON body from a mail service
that knows the webhook secret.
"""

from __future__ import annotations

import base64
import io

import pytest
from django.urls import reverse

from cases.models import Case, InboundMessage, Organisation, PhoneCall
from scheduling.models import Callback
from tests.factories import CaseFactory

CALL = {
    "number": "0546123456",
    "caller_name": "Piet Pieters",
    "subject": "Vraag",
    "outcome": "answered",
    "direction": "in",
    "duration_minutes": "3",
}


@pytest.mark.django_db
@pytest.mark.parametrize("started_at", ["0001-01-01T00:00", "1900-01-01T10:00", "9999-12-31T10:00"])
def test_a_call_at_an_impossible_time_is_refused_and_opens_no_case(staff_client, started_at):
    response = staff_client.post(reverse("call_log"), {**CALL, "started_at": started_at})

    assert response.status_code in {200, 400}
    assert response.context["form"].errors
    assert not Case.objects.exists()
    assert not PhoneCall.objects.exists()


@pytest.mark.django_db
def test_a_forged_callback_slot_books_nothing(staff_client):
    case = CaseFactory()
    forged = "9999-12-31T08:30:00+01:00"

    response = staff_client.post(
        reverse("callback_new", args=[case.reference]),
        {"number": "0546123456", "slot": forged, "offered": forged},
    )

    assert response.status_code in {200, 400}
    assert not Callback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"naam;kvk\n" + b"A" * 140_000 + b";12345678\n", "niet te lezen"),
        ("naam;kvk\n" + "A" * 140_000 + ";12345678\n", "niet te lezen"),
        (b"naam;kvk\nBakkerij\x00Bakker;12345678\n", "NUL"),
    ],
    ids=["huge cell bytes", "huge cell text", "NUL"],
)
def test_a_hostile_import_file_gets_a_message_and_imports_nothing(manager_client, content, says):
    manager_client.raise_request_exception = False
    if isinstance(content, str):
        content = content.encode()
    upload = io.BytesIO(content)
    upload.name = "register.csv"

    response = manager_client.post(reverse("organisation_import"), {"file": upload})

    assert response.status_code < 500
    # The page is in Dutch, the helpdesk's language.
    assert says in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["postmark", "sendgrid"])
def test_a_malformed_payload_with_the_right_secret_is_refused_with_400(client, settings, service):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:secret"}
    auth = "Basic " + base64.b64encode(b"hook:secret").decode()

    response = client.post(
        f"/anymail/{service}/inbound/",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )

    assert response.status_code == 400
    assert not InboundMessage.objects.exists()
    # A resend gets the same answer.
    again = client.post(
        f"/anymail/{service}/inbound/",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )
    assert again.status_code == 400
