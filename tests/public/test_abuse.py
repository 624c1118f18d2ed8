"""The public forms against scripts: honeypot, fill time, rate limits, CSRF, the frame rule."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from public import tokens
from scheduling.models import Callback
from tests.public.conftest import started_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "thursday_afternoon")]


def _question(client, **fields) -> dict:
    page = client.get(reverse("public:ask")).content.decode()
    return {
        "name": "Anouk Bakker",
        "email": "a.bakker@example.nl",
        "subject": "Vraag",
        "question": "Hoe werkt de zelfscan?",
        "started": started_value(page),
        **fields,
    }


def test_a_filled_honeypot_is_refused_without_saying_why(client):
    response = client.post(reverse("public:ask"), _question(client, website="http://spam"))

    assert response.status_code == 400
    assert "Please check your entries and send the form again." in response.content.decode()
    assert not Case.objects.exists()


def test_a_form_sent_back_too_fast_is_refused_and_can_be_sent_again(client, settings):
    settings.PUBLIC_MIN_FILL_SECONDS = 3
    data = _question(client)

    refused = client.post(reverse("public:ask"), data)

    assert refused.status_code == 400
    assert not Case.objects.exists()
    # The person sends the redrawn form a little later: it goes through.
    later = tokens.started_token(time.time() - 5)
    assert client.post(reverse("public:ask"), {**data, "started": later}).status_code == 200
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "started",
    ["", "12345", tokens.link_token(tokens.CALLBACK, 1)],
    ids=["empty", "plain-number", "another-purpose"],
)
def test_a_start_time_that_is_not_ours_is_refused(client, started):
    response = client.post(reverse("public:ask"), _question(client, started=started))

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_posts_from_one_address_are_limited_others_still_get_through(client, settings):
    settings.PUBLIC_POSTS_PER_IP_PER_HOUR = 3
    settings.PUBLIC_POSTS_PER_ADDRESS_PER_HOUR = 100
    flood = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        flood.post(reverse("public:ask"), _question(flood, email=f"x{n}@example.org")).status_code
        for n in range(6)
    ]

    assert statuses == [200, 200, 200, 429, 429, 429]
    someone_else = Client(REMOTE_ADDR="198.51.100.20")
    assert someone_else.post(reverse("public:ask"), _question(someone_else)).status_code == 200
    assert Case.objects.count() == 4


def test_posts_for_one_email_address_are_limited_whatever_the_client(settings):
    settings.PUBLIC_POSTS_PER_ADDRESS_PER_HOUR = 2
    statuses = []
    for n in range(4):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        statuses.append(visitor.post(reverse("public:ask"), _question(visitor)).status_code)

    assert statuses == [200, 200, 429, 429]


def test_the_refusal_page_is_the_same_for_the_client_and_the_address_limit(settings):
    settings.PUBLIC_POSTS_PER_IP_PER_HOUR = 1
    settings.PUBLIC_POSTS_PER_ADDRESS_PER_HOUR = 1
    first = Client(REMOTE_ADDR="198.51.100.1")
    first.post(reverse("public:ask"), _question(first))
    by_client = first.post(reverse("public:ask"), _question(first, email="ander@example.org"))
    other = Client(REMOTE_ADDR="198.51.100.2")
    by_address = other.post(reverse("public:ask"), _question(other))

    def page(response) -> str:
        return re.sub(r'value="[^"]+"', "", response.content.decode())

    assert by_client.status_code == by_address.status_code == 429
    assert page(by_client) == page(by_address)


def test_every_form_needs_its_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    data = _question(browser)

    assert browser.post(reverse("public:ask"), data).status_code == 403
    assert browser.post(reverse("public:callback"), {**data, "slot": "first"}).status_code == 403
    assert not Case.objects.exists() and not Callback.objects.exists()


def test_the_ordinary_pages_may_not_be_framed(client, settings):
    settings.PUBLIC_FRAME_ANCESTORS = ["https://www.pso-nederland.nl"]

    response = client.get(reverse("public:callback"))

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_embedded_variant_may_be_framed_by_the_configured_site_only(client, settings):
    settings.PUBLIC_FRAME_ANCESTORS = ["https://www.pso-nederland.nl"]

    response = client.get(reverse("public_embed:callback"))

    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://www.pso-nederland.nl" in policy
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "X-Frame-Options" not in response
    # The language choice comes back to the embedded variant.
    assert f'name="next" type="hidden" value="{reverse("public_embed:callback")}"' in (
        response.content.decode()
    )


def test_without_a_configured_site_the_embedded_variant_is_not_framed_either(client, settings):
    settings.PUBLIC_FRAME_ANCESTORS = []

    response = client.get(reverse("public_embed:ask"))

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_staff_pages_keep_deny(staff_client, settings):
    settings.PUBLIC_FRAME_ANCESTORS = ["https://www.pso-nederland.nl"]

    response = staff_client.get(reverse("dashboard"))

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_no_session_is_made_for_a_visitor(client):
    client.get(reverse("public:callback"))
    client.post(reverse("public:ask"), _question(client))

    assert "sessionid" not in client.cookies
