"""The webhooks under anonymous load: quiet logs, and no body read before the secret.

Anyone on the internet can post to the webhook URLs. A service that is not set up
answers 503 with one warning line (not a traceback per post, nor a mail to the
admins); an Amazon SES post is only parsed once it has shown the webhook secret.
"""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

import pytest

from cases.models import InboundMessage
from cases.views import webhooks
from tests.cases.sns_signing import sns_certificate, sns_sign  # noqa: F401 (a fixture)

ESP = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "esp"
SECRET = "pso-hook:s3cret-webhook-pass"
TOPIC = "arn:aws:sns:eu-west-1:111122223333:pso-inbound"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
WRONG_AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"pso-hook:guess").decode()}
MAILGUN = "/anymail/mailgun/inbound_mime/"
SES_URLS = ["/anymail/amazon_ses/inbound/", "/anymail/amazon_ses/tracking/"]


@pytest.fixture(autouse=True)
def _webhook_settings(settings, sns_certificate):  # noqa: F811
    # The secret is set, but Mailgun's own signing key is not: Mailgun is not set up.
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.MAIL_SES_TOPIC_ARNS = [TOPIC]
    settings.ADMINS = [("Beheer", "beheer@example.nl")]


def signed_ses() -> dict:
    return sns_sign(json.loads((ESP / "ses_sns_inbound.json").read_text(encoding="utf-8")))


def post_ses(client, url: str, body: str, **extra):
    return client.post(url, data=body, content_type="application/json", **extra)


# --- A service that is not set up ------------------------------------------------------------


@pytest.mark.parametrize("auth", [{}, AUTH], ids=["anonymous", "with-secret"])
def test_an_unconfigured_service_logs_one_line_without_a_traceback(
    client, db, caplog, mailoutbox, auth
):
    caplog.set_level(logging.INFO)
    response = client.post(MAILGUN, data={"timestamp": "1", "token": "t"}, **auth)
    assert response.status_code == 503
    assert [(r.name, r.levelname) for r in caplog.records] == [("cases.views.webhooks", "WARNING")]
    record = caplog.records[0]
    assert record.exc_info is None and record.exc_text is None
    assert "mailgun_inbound_webhook" in record.getMessage()
    assert "\n" not in record.getMessage()
    assert mailoutbox == []  # a 503 per anonymous post must not mail the admins


def test_every_post_to_it_logs_again_one_line_each(client, db, caplog):
    caplog.set_level(logging.INFO)
    for _ in range(3):
        assert client.post(MAILGUN, data={}).status_code == 503
    assert len(caplog.records) == 3


# --- Amazon SES: the secret before the body --------------------------------------------------


@pytest.mark.parametrize("url", SES_URLS)
@pytest.mark.parametrize("auth", [{}, WRONG_AUTH], ids=["no-auth", "wrong-auth"])
def test_an_ses_post_without_the_secret_is_refused_before_its_body_is_read(
    client, db, monkeypatch, url, auth
):
    body = json.dumps(signed_ses())
    parsed = []
    real_loads = json.loads

    def spying_loads(text, *args, **kwargs):
        parsed.append(text)
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(webhooks.json, "loads", spying_loads)
    response = post_ses(client, url, body, **auth)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert parsed == []
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize("url", SES_URLS)
def test_an_unreadable_ses_body_without_the_secret_gets_401_not_400(client, db, url):
    response = post_ses(client, url, "{not json" + "x" * 10_000, **WRONG_AUTH)
    assert response.status_code == 401


def test_with_the_secret_the_topic_is_still_checked(client, db, settings):
    settings.MAIL_SES_TOPIC_ARNS = ["arn:aws:sns:eu-west-1:111122223333:other"]
    response = post_ses(client, SES_URLS[0], json.dumps(signed_ses()), **AUTH)
    assert response.status_code == 403


def test_with_the_secret_an_unreadable_body_is_refused_as_before(client, db):
    assert post_ses(client, SES_URLS[0], "{not json", **AUTH).status_code == 403


def test_with_the_secret_and_the_topic_a_signed_post_is_stored(
    client, db, django_capture_on_commit_callbacks
):
    data = signed_ses()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_ses(
            client,
            SES_URLS[0],
            json.dumps(data),
            HTTP_X_AMZ_SNS_MESSAGE_TYPE=data["Type"],
            HTTP_X_AMZ_SNS_MESSAGE_ID=data["MessageId"],
            HTTP_X_AMZ_SNS_TOPIC_ARN=data["TopicArn"],
            **AUTH,
        )
    assert response.status_code == 200
    assert InboundMessage.objects.count() == 1
