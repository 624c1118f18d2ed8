"""Amazon SNS signatures: only messages signed with AWS's certificate are accepted.

A key and a self-signed certificate are made for the tests and the certificate
fetch is replaced (there is no network); the URL checks run as in production.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cases.intake import sns
from cases.models import Case, InboundMessage
from tests.cases.sns_signing import sns_certificate, sns_sign  # noqa: F401

ESP = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "esp"
SECRET = "pso-hook:s3cret-webhook-pass"
TOPIC = "arn:aws:sns:eu-west-1:111122223333:pso-inbound"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
SES = "/anymail/amazon_ses/inbound/"


@pytest.fixture(autouse=True)
def _webhook_settings(settings, sns_certificate):  # noqa: F811
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.MAIL_SES_TOPIC_ARNS = [TOPIC]


def inbound_notification() -> dict:
    return json.loads((ESP / "ses_sns_inbound.json").read_text(encoding="utf-8"))


def post(client, data: dict):
    return client.post(
        SES,
        data=json.dumps(data),
        content_type="application/json",
        HTTP_X_AMZ_SNS_MESSAGE_TYPE=data["Type"],
        HTTP_X_AMZ_SNS_MESSAGE_ID=data["MessageId"],
        HTTP_X_AMZ_SNS_TOPIC_ARN=data["TopicArn"],
        **AUTH,
    )


# --- The rules, one by one ----------------------------------------------------------------


@pytest.mark.parametrize("version", ["1", "2"], ids=["SHA1", "SHA256"])
def test_a_correctly_signed_notification_is_accepted(version):
    sns.sns_verify(sns_sign(inbound_notification(), version=version))


def test_a_notification_without_a_subject_is_signed_without_it():
    data = inbound_notification()
    del data["Subject"]
    sns.sns_verify(sns_sign(data))


@pytest.mark.parametrize(
    "url",
    [
        "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
    ],
)
def test_certificate_urls_of_aws_sns_are_allowed(url):
    assert sns.signing_cert_url_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem",
        "https://evil.example/sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://s3.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-abc.pem",
        "https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
        "https://sns.eu-west-1.amazonaws.com/something-else.txt",
        "file:///etc/ssl/cert.pem",
        "",
    ],
)
def test_other_certificate_urls_are_refused_without_a_fetch(url, sns_certificate):  # noqa: F811
    assert not sns.signing_cert_url_allowed(url)
    data = sns_sign({**inbound_notification(), "SigningCertURL": url})
    with pytest.raises(sns.SnsVerificationError, match="not allowed"):
        sns.sns_verify(data)
    assert sns_certificate == []


def test_a_subscription_confirmation_is_signed_over_its_own_fields():
    confirmation = {
        "Type": "SubscriptionConfirmation",
        "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a",
        "TopicArn": TOPIC,
        "Message": "You have chosen to subscribe to the topic " + TOPIC,
        "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription",
        "Timestamp": "2026-11-26T08:00:00.000Z",
    }
    signed = sns_sign(confirmation, version="2")
    sns.sns_verify(signed)
    with pytest.raises(sns.SnsVerificationError, match="does not match"):
        sns.sns_verify({**signed, "Token": "another-token"})


def test_a_changed_message_no_longer_matches_its_signature():
    data = sns_sign(inbound_notification())
    data["Message"] = data["Message"].replace("Factuur", "Faktuur")
    with pytest.raises(sns.SnsVerificationError, match="does not match"):
        sns.sns_verify(data)


def test_a_signature_by_another_key_is_refused():
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(sns.SnsVerificationError, match="does not match"):
        sns.sns_verify(sns_sign(inbound_notification(), key=other))


@pytest.mark.parametrize("version", ["", "3", None])
def test_an_unknown_signature_version_is_refused(version):
    data = sns_sign(inbound_notification())
    data["SignatureVersion"] = version
    with pytest.raises(sns.SnsVerificationError, match="version"):
        sns.sns_verify(data)


def test_a_missing_or_garbled_signature_is_refused():
    data = sns_sign(inbound_notification())
    with pytest.raises(sns.SnsVerificationError):
        sns.sns_verify({**data, "Signature": ""})
    with pytest.raises(sns.SnsVerificationError):
        sns.sns_verify({**data, "Signature": "not base64 at all!"})


def test_the_certificate_is_fetched_once_per_url_and_then_cached(sns_certificate):  # noqa: F811
    sns.sns_verify(sns_sign(inbound_notification()))
    sns.sns_verify(sns_sign(inbound_notification(), version="2"))
    assert sns_certificate == [inbound_notification()["SigningCertURL"]]


def test_an_unreachable_certificate_refuses_the_message(monkeypatch):
    def offline(url):
        raise OSError("network unreachable")

    monkeypatch.setattr(sns, "fetch_certificate", offline)
    with pytest.raises(sns.SnsVerificationError, match="not available"):
        sns.sns_verify(sns_sign(inbound_notification()))


# --- Through the webhook: refused posts store nothing -------------------------------------


def test_a_signed_inbound_notification_stores_the_message(client, db):
    assert post(client, sns_sign(inbound_notification())).status_code == 200
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda d: {**d, "Message": d["Message"].replace("Gert", "Gerrit")}, id="bad"),
        pytest.param(
            lambda d: {**d, "SigningCertURL": "https://sns.eu-west-1.evil.example/x.pem"},
            id="wrong-host",
        ),
        pytest.param(
            lambda d: {**d, "SigningCertURL": d["SigningCertURL"].replace("https:", "http:")},
            id="http",
        ),
        pytest.param(lambda d: {k: v for k, v in d.items() if k != "Signature"}, id="unsigned"),
    ],
)
def test_a_refused_inbound_notification_stores_nothing(client, db, spoil):
    data = spoil(sns_sign(inbound_notification()))
    assert post(client, data).status_code == 400
    assert InboundMessage.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_signed_notification_from_another_topic_is_still_refused(client, db, settings):
    settings.MAIL_SES_TOPIC_ARNS = ["arn:aws:sns:eu-west-1:111122223333:other"]
    assert post(client, sns_sign(inbound_notification())).status_code == 403
    assert InboundMessage.objects.count() == 0
