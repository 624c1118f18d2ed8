"""Inbound mail through anymail's webhooks: authenticated posts store one message each.

Each service's payload is a realistic fixture; a post without the webhook secret,
with a forged signature or a replayed Mailgun token creates nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest

from cases.models import Case, InboundMessage, InboundStatus, OutboundMessage, OutboundStatus
from tests.cases.sns_signing import sns_certificate, sns_sign  # noqa: F401 (a fixture)

ESP = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "esp"
SECRET = "pso-hook:s3cret-webhook-pass"
MAILGUN_KEY = "mailgun-signing-key-for-tests"
TOPIC = "arn:aws:sns:eu-west-1:111122223333:pso-inbound"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
WRONG_AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"pso-hook:guess").decode()}


def payload(name: str) -> dict:
    data = json.loads((ESP / name).read_text(encoding="utf-8"))
    if name.startswith("ses_"):
        data = sns_sign(data)
    return data


@pytest.fixture(autouse=True)
def _webhook_settings(settings, sns_certificate):  # noqa: F811
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.MAIL_SES_TOPIC_ARNS = [TOPIC]


@pytest.fixture
def post(client, db, django_capture_on_commit_callbacks):
    def _post(url: str, data, *, json_body: bool = False, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            if json_body:
                return client.post(
                    url, data=json.dumps(data), content_type="application/json", **extra
                )
            return client.post(url, data=data, **extra)

    return _post


def mailgun_signed(*, timestamp: int | None = None, token: str = "tok-1", key: str = MAILGUN_KEY):
    data = payload("mailgun_inbound_mime.json")
    timestamp = int(time.time()) if timestamp is None else timestamp
    data["timestamp"] = str(timestamp)
    data["token"] = token
    data["signature"] = hmac.new(
        key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return data


MAILGUN = "/anymail/mailgun/inbound_mime/"
POSTMARK = "/anymail/postmark/inbound/"
SENDGRID = "/anymail/sendgrid/inbound/"
SES = "/anymail/amazon_ses/inbound/"


def ses_headers(data: dict) -> dict:
    return {
        "HTTP_X_AMZ_SNS_MESSAGE_TYPE": data["Type"],
        "HTTP_X_AMZ_SNS_MESSAGE_ID": data["MessageId"],
        "HTTP_X_AMZ_SNS_TOPIC_ARN": data["TopicArn"],
    }


# --- Each service, authenticated ----------------------------------------------------------


def test_mailgun_signed_post_creates_one_message_and_case(post):
    response = post(MAILGUN, mailgun_signed(), **AUTH)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.source == "Mailgun"
    assert message.status == InboundStatus.PROCESSED
    assert message.subject == "Aanvraag Aspirant-status"
    assert message.envelope_sender == "petra@sw-twente.nl"
    assert Case.objects.count() == 1


def test_postmark_post_with_raw_email_keeps_the_exact_bytes(post):
    data = payload("postmark_inbound_raw.json")
    response = post(POSTMARK, data, json_body=True, **AUTH)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert bytes(message.raw) == data["RawEmail"].encode()
    assert message.esp_event_id == data["MessageID"]
    assert message.case is not None


def test_postmark_post_without_raw_email_and_without_message_id(post):
    data = payload("postmark_inbound_parsed.json")
    assert post(POSTMARK, data, json_body=True, **AUTH).status_code == 200
    # Delivered again (a retry): the service's event id recognises it.
    assert post(POSTMARK, data, json_body=True, **AUTH).status_code == 200
    message = InboundMessage.objects.get()
    assert message.message_id == ""
    assert message.from_address == "J.deVries@almelo.nl"
    assert message.attachments.get().filename == "verklaring.pdf"
    assert Case.objects.count() == 1


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_sendgrid_raw_post_creates_one_message(post):
    response = post(SENDGRID, payload("sendgrid_inbound_raw.json"), **AUTH)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.subject == "Spoed: aanvraag Trede 3 – gemeente Hengelo (één vraag)"
    assert message.envelope_sender == "renee.muller@hengelo.nl"


def test_amazon_ses_sns_post_creates_one_message(post):
    data = payload("ses_sns_inbound.json")
    response = post(SES, data, json_body=True, **ses_headers(data), **AUTH)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.esp_event_id == "jpmkd1g0a4h2kdu9fj1fcdtll8f7ngaj4m6hst01"
    assert message.subject == "Factuur én beoordeling"
    assert message.case is not None


# --- Refused: nothing is created ----------------------------------------------------------


def post_without_the_secret(post, service: str, auth: dict):
    """A genuine post of ``service`` with the given basic auth (none, or a wrong one)."""
    if service == "mailgun":
        return post(MAILGUN, mailgun_signed(), **auth)
    if service == "postmark":
        return post(POSTMARK, payload("postmark_inbound_raw.json"), json_body=True, **auth)
    if service == "sendgrid":
        return post(SENDGRID, payload("sendgrid_inbound_raw.json"), **auth)
    ses = payload("ses_sns_inbound.json")
    return post(SES, ses, json_body=True, **ses_headers(ses), **auth)


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
@pytest.mark.parametrize(
    ("service", "auth", "status"),
    [
        # anymail answers a missing or a wrong webhook secret with 400 Bad Request...
        ("mailgun", {}, 400),
        ("postmark", {}, 400),
        ("sendgrid", {}, 400),
        ("mailgun", WRONG_AUTH, 400),
        ("postmark", WRONG_AUTH, 400),
        ("sendgrid", WRONG_AUTH, 400),
        # ...Amazon SES posts are asked for the secret before their body is read: 401 with
        # the challenge Amazon SNS waits for before it sends its credentials.
        ("amazon-ses", {}, 401),
        ("amazon-ses", WRONG_AUTH, 401),
    ],
    ids=lambda value: "wrong-auth" if value == WRONG_AUTH else "no-auth" if value == {} else None,
)
def test_posts_without_the_webhook_secret_create_nothing(post, service, auth, status):
    response = post_without_the_secret(post, service, auth)

    assert response.status_code == status
    assert InboundMessage.objects.count() == 0
    assert Case.objects.count() == 0


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_every_inbound_post_is_refused_while_no_webhook_secret_is_set(post, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    ses = payload("ses_sns_inbound.json")
    responses = [
        post(MAILGUN, mailgun_signed()),
        post(POSTMARK, payload("postmark_inbound_raw.json"), json_body=True),
        post(SENDGRID, payload("sendgrid_inbound_raw.json")),
        post(SES, ses, json_body=True, **ses_headers(ses)),
        post("/anymail/postmark/tracking/", {"RecordType": "Delivery"}, json_body=True),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert InboundMessage.objects.count() == 0


def test_mailgun_forged_signature_creates_nothing(post):
    response = post(MAILGUN, mailgun_signed(key="not-the-key"), **AUTH)
    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0


def test_mailgun_timestamp_older_than_five_minutes_is_refused(post):
    response = post(MAILGUN, mailgun_signed(timestamp=int(time.time()) - 301), **AUTH)
    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0


def test_mailgun_reused_token_is_refused(post):
    assert post(MAILGUN, mailgun_signed(token="once"), **AUTH).status_code == 200
    other = mailgun_signed(token="once")
    other["body-mime"] = other["body-mime"].replace("CAF=abc123XYZ", "another-message")
    assert post(MAILGUN, other, **AUTH).status_code == 400
    assert InboundMessage.objects.count() == 1


def test_a_refused_mailgun_post_does_not_use_up_its_token(post):
    assert post(MAILGUN, mailgun_signed(token="t2", key="forged"), **AUTH).status_code == 400
    assert post(MAILGUN, mailgun_signed(token="t2"), **AUTH).status_code == 200


def test_amazon_ses_from_an_unknown_topic_is_refused(post, settings):
    settings.MAIL_SES_TOPIC_ARNS = ["arn:aws:sns:eu-west-1:999999999999:other"]
    data = payload("ses_sns_inbound.json")
    response = post(SES, data, json_body=True, **ses_headers(data), **AUTH)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_webhooks_need_no_staff_login_but_other_pages_do(client, db):
    assert client.get("/cases/").status_code == 302
    assert client.head(POSTMARK).status_code == 200


# --- Delivery events ----------------------------------------------------------------------


def test_postmark_bounce_event_marks_our_message_bounced(post):
    post(POSTMARK, payload("postmark_inbound_raw.json"), json_body=True, **AUTH)
    case = Case.objects.get()
    sent = OutboundMessage.objects.create(
        case=case,
        message_id="ours-1@helpdesk.pso-nederland.nl",
        esp_message_id="883953f4-6105-42a2-a16a-77a8eac79483",
        from_address="info@pso-nederland.nl",
        to="j.devries@almelo.nl",
        subject="Antwoord",
        body_text="…",
        created_at=case.created_at,
        status=OutboundStatus.SENT,
    )
    event = {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 user unknown",
        "Email": "j.devries@almelo.nl",
        "BouncedAt": "2026-11-26T10:00:00Z",
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Antwoord",
    }
    assert post("/anymail/postmark/tracking/", event, json_body=True, **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
