"""Delivery reports through anymail's tracking webhooks: kept on our sent message.

Realistic payloads of Mailgun, Postmark, SendGrid and Amazon SES (SNS, signed);
a forged report creates nothing, the same report twice is kept once, and the
case timeline shows what happened to the message.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases.intake.outbound import mail_send
from cases.models import DeliveryEvent, DeliveryEventKind, OutboundMessage, OutboundStatus
from tests.cases.sns_signing import sns_certificate, sns_sign  # noqa: F401 (a fixture)
from tests.factories import CaseFactory

ESP = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "esp"
SECRET = "pso-hook:s3cret-webhook-pass"
MAILGUN_KEY = "mailgun-signing-key-for-tests"
TOPIC = "arn:aws:sns:eu-west-1:111122223333:pso-tracking"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}

MAILGUN = "/anymail/mailgun/tracking/"
POSTMARK = "/anymail/postmark/tracking/"
SENDGRID = "/anymail/sendgrid/tracking/"
SES = "/anymail/amazon_ses/tracking/"


@pytest.fixture(autouse=True)
def _webhook_settings(settings, sns_certificate):  # noqa: F811
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.MAIL_SES_TOPIC_ARNS = [TOPIC]
    settings.LANGUAGE_CODE = "en"
    cache.clear()


@pytest.fixture
def sent(db, django_capture_on_commit_callbacks) -> OutboundMessage:
    """A reply sent on a case through the test backend (which gives no service id)."""
    case = CaseFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message = mail_send(
            case=case,
            to="petra@sw-twente.nl",
            subject="Re: Aanvraag",
            body_text="Beste Petra,",
            automatic=False,
        )
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT
    return message


def with_esp_id(message: OutboundMessage, esp_id: str) -> OutboundMessage:
    OutboundMessage.objects.filter(pk=message.pk).update(esp_message_id=esp_id)
    message.refresh_from_db()
    return message


def fixture(name: str):
    return json.loads((ESP / name).read_text(encoding="utf-8"))


def post_json(client, url: str, data, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def mailgun_event(message_id: str, *, token: str = "tok-a", key: str = MAILGUN_KEY) -> dict:
    data = fixture("mailgun_tracking_failed.json")
    data["event-data"]["message"]["headers"]["message-id"] = message_id
    timestamp = str(int(time.time()))
    data["signature"] = {
        "timestamp": timestamp,
        "token": token,
        "signature": hmac.new(
            key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
        ).hexdigest(),
    }
    return data


def sendgrid_events(smtp_id: str) -> list[dict]:
    events = fixture("sendgrid_tracking_events.json")
    for event in events:
        event["smtp-id"] = f"<{smtp_id}>"
    return events


def ses_bounce(message_id: str) -> dict:
    data = fixture("ses_sns_tracking_bounce.json")
    data["Message"] = data["Message"].replace("to-be-set", message_id)
    return sns_sign(data)


def ses_headers(data: dict) -> dict:
    return {
        "HTTP_X_AMZ_SNS_MESSAGE_TYPE": data["Type"],
        "HTTP_X_AMZ_SNS_MESSAGE_ID": data["MessageId"],
        "HTTP_X_AMZ_SNS_TOPIC_ARN": data["TopicArn"],
    }


# --- Each service -------------------------------------------------------------------------


def test_mailgun_failed_event_found_by_our_message_id_marks_the_message_bounced(client, sent):
    response = post_json(client, MAILGUN, mailgun_event(sent.message_id), **AUTH)
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
    event = DeliveryEvent.objects.get()
    assert event.message == sent
    assert event.kind == DeliveryEventKind.BOUNCED
    assert event.recipient == "petra@sw-twente.nl"
    assert "mailbox full" in event.detail
    assert event.source == "Mailgun"


def test_mailgun_event_with_a_forged_signature_creates_nothing(client, sent):
    data = mailgun_event(sent.message_id, key="not-the-key")
    assert post_json(client, MAILGUN, data, **AUTH).status_code == 400
    assert DeliveryEvent.objects.count() == 0
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT


def test_mailgun_event_posted_again_is_refused_as_a_replay_and_kept_once(client, sent):
    data = mailgun_event(sent.message_id, token="once")
    assert post_json(client, MAILGUN, data, **AUTH).status_code == 200
    assert post_json(client, MAILGUN, data, **AUTH).status_code == 400
    assert DeliveryEvent.objects.count() == 1


def test_postmark_delivery_found_by_the_service_id_marks_the_message_delivered(client, sent):
    with_esp_id(sent, "883953f4-6105-42a2-a16a-77a8eac79483")
    data = fixture("postmark_tracking_delivery.json")
    assert post_json(client, POSTMARK, data, **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.DELIVERED
    event = DeliveryEvent.objects.get()
    assert event.kind == DeliveryEventKind.DELIVERED
    assert event.occurred_at.isoformat() == "2026-12-02T09:15:31+00:00"


def test_postmark_delivery_without_an_event_id_posted_twice_is_kept_once(client, sent):
    with_esp_id(sent, "883953f4-6105-42a2-a16a-77a8eac79483")
    data = fixture("postmark_tracking_delivery.json")
    assert post_json(client, POSTMARK, data, **AUTH).status_code == 200
    assert post_json(client, POSTMARK, data, **AUTH).status_code == 200
    assert DeliveryEvent.objects.count() == 1


def test_postmark_delivery_without_basic_auth_creates_nothing(client, sent):
    with_esp_id(sent, "883953f4-6105-42a2-a16a-77a8eac79483")
    data = fixture("postmark_tracking_delivery.json")
    assert post_json(client, POSTMARK, data).status_code == 400  # anymail: no basic auth
    assert DeliveryEvent.objects.count() == 0


def test_a_late_delivery_never_hides_a_bounce(client, sent):
    with_esp_id(sent, "883953f4-6105-42a2-a16a-77a8eac79483")
    bounce = {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 user unknown",
        "Email": "petra@sw-twente.nl",
        "BouncedAt": "2026-12-02T09:15:00Z",
        "Subject": "Re: Aanvraag",
    }
    assert post_json(client, POSTMARK, bounce, **AUTH).status_code == 200
    delivery = fixture("postmark_tracking_delivery.json")
    assert post_json(client, POSTMARK, delivery, **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
    kinds = list(sent.delivery_events.values_list("kind", flat=True))
    assert kinds == [DeliveryEventKind.BOUNCED, DeliveryEventKind.DELIVERED]


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_sendgrid_batch_records_the_bounce_and_ignores_processed_and_open(client, sent):
    events = sendgrid_events(sent.message_id)
    assert post_json(client, SENDGRID, events, **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
    event = DeliveryEvent.objects.get()
    assert event.kind == DeliveryEventKind.BOUNCED
    assert "does not exist" in event.detail
    # The same batch again (SendGrid retries): nothing new.
    assert post_json(client, SENDGRID, events, **AUTH).status_code == 200
    assert DeliveryEvent.objects.count() == 1


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_sendgrid_dropped_event_is_a_rejection(client, sent):
    dropped = {
        "email": "petra@sw-twente.nl",
        "timestamp": 1795773300,
        "smtp-id": f"<{sent.message_id}>",
        "event": "dropped",
        "sg_event_id": "zmzJhfJgAfUSOW80yEbPyw==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "reason": "Bounced Address",
        "status": "5.0.0",
    }
    assert post_json(client, SENDGRID, [dropped], **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.FAILED
    assert DeliveryEvent.objects.get().kind == DeliveryEventKind.REJECTED


def test_amazon_ses_bounce_found_by_the_ses_message_id(client, sent):
    with_esp_id(sent, "0102017a1bb1c3d4-5e6f7a8b-0000-0000-0000-000000000000-000000")
    data = ses_bounce("someone-elses@example.org")
    assert post_json(client, SES, data, **ses_headers(data), **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
    event = DeliveryEvent.objects.get()
    assert event.recipient == "gert@metaal-noord.nl"
    assert "550 5.1.1 user unknown" in event.detail


def test_amazon_ses_bounce_found_by_our_message_id_in_its_headers(client, sent):
    data = ses_bounce(f"<{sent.message_id}>")
    assert post_json(client, SES, data, **ses_headers(data), **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.BOUNCED
    # SNS delivers at least once: the same notification again is kept once.
    assert post_json(client, SES, data, **ses_headers(data), **AUTH).status_code == 200
    assert DeliveryEvent.objects.count() == 1


def test_amazon_ses_complaint_is_recorded_without_changing_the_status(client, sent):
    message = {
        "notificationType": "Complaint",
        "complaint": {
            "complainedRecipients": [{"emailAddress": "gert@metaal-noord.nl"}],
            "timestamp": "2026-12-02T10:00:00.000Z",
            "feedbackId": "0102017a-complaint",
            "complaintFeedbackType": "abuse",
        },
        "mail": {
            "timestamp": "2026-12-02T09:15:00.000Z",
            "source": "info@pso-nederland.nl",
            "messageId": "ses-id-complaint",
            "destination": ["gert@metaal-noord.nl"],
            "headers": [{"name": "Message-ID", "value": f"<{sent.message_id}>"}],
        },
    }
    data = sns_sign(
        {
            "Type": "Notification",
            "MessageId": "f0e1d2c3-b4a5-5968-8776-655443322110",
            "TopicArn": TOPIC,
            "Message": json.dumps(message),
            "Timestamp": "2026-12-02T10:00:01.000Z",
        },
        version="2",
    )
    assert post_json(client, SES, data, **ses_headers(data), **AUTH).status_code == 200
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT
    assert DeliveryEvent.objects.get().kind == DeliveryEventKind.COMPLAINED


def test_amazon_ses_bounce_with_a_bad_signature_creates_nothing(client, sent):
    data = ses_bounce(f"<{sent.message_id}>")
    forged = copy.deepcopy(data)
    forged["Message"] = forged["Message"].replace("user unknown", "user unknown!")
    assert post_json(client, SES, forged, **ses_headers(forged), **AUTH).status_code == 400
    assert DeliveryEvent.objects.count() == 0


def test_an_event_about_mail_we_did_not_send_is_ignored(client, sent):
    assert post_json(client, MAILGUN, mailgun_event("stranger@example.org"), **AUTH).status_code
    assert DeliveryEvent.objects.count() == 0
    sent.refresh_from_db()
    assert sent.status == OutboundStatus.SENT


# --- On the case page ---------------------------------------------------------------------


def test_case_timeline_shows_the_bounce_with_its_time_and_reason(
    client, staff_client, sent, django_assert_max_num_queries
):
    post_json(client, MAILGUN, mailgun_event(sent.message_id), **AUTH)
    url = reverse("case_detail", kwargs={"reference": sent.case.reference})
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # Shown in Amsterdam time, as "bounced 2 Dec 10:15: mailbox full".
    event = DeliveryEvent.objects.get()
    local = timezone.localtime(event.occurred_at)
    assert f'bounced <time datetime="{local.isoformat()}">{local:%-d %b %H:%M}</time>' in html
    assert "mailbox full" in html
