"""anymail's webhooks, hardened, and the receivers that store what they deliver.

anymail only *warns* when ``ANYMAIL["WEBHOOK_SECRET"]`` is unset, and some mail
services sign nothing (Postmark, SendGrid inbound, Amazon SES — anymail does
not check the SNS signature). So every anymail URL is wrapped here:

- without a webhook secret every post is refused (403), for every service;
- basic auth (the secret) and the service's own signature are then checked by
  anymail itself;
- Mailgun: a post older (or newer) than five minutes, or with a token seen
  before, is refused — anymail checks the signature but not replays;
- Amazon SES: only notifications of the SNS topics in ``MAIL_SES_TOPIC_ARNS``;
- the whole post runs in one transaction, so a refused or failed post leaves
  nothing behind (not even a used token) and the service's retry is welcome.

The inbound receiver only stores the raw message (``mail_receive``); parsing and
case work happen after the commit and can never make the service retry forever.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from base64 import b64decode
from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailImproperlyInstalled,
    AnymailWebhookValidationFailure,
)
from anymail.signals import EventType, inbound, tracking
from anymail.urls import urlpatterns as anymail_urlpatterns
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from cases.intake.email import mail_receive
from cases.models import OutboundMessage, OutboundStatus, WebhookToken

log = logging.getLogger(__name__)

#: Mailgun signs a timestamp; a post further from now than this is a replay.
MAILGUN_MAX_AGE = dt.timedelta(minutes=5)


# --- Authentication ---------------------------------------------------------------------


def webhook_secret_configured() -> bool:
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    return bool(secret)


def mailgun_refuse_replay(request: HttpRequest, *, now: dt.datetime | None = None) -> None:
    """Refuse a Mailgun post whose signed timestamp is stale or whose token was used.

    Call only after the signature is verified, so a forged post cannot burn a
    genuine token. Tokens are kept in a table (shared by all workers) for as long
    as their timestamp would still be accepted.
    """
    now = now or timezone.now()
    token = request.POST.get("token", "")
    try:
        signed_at = dt.datetime.fromtimestamp(int(request.POST.get("timestamp", "")), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise AnymailWebhookValidationFailure("Mailgun webhook without a valid timestamp") from exc
    if abs(now - signed_at) > MAILGUN_MAX_AGE:
        raise AnymailWebhookValidationFailure("Mailgun webhook timestamp too old (replay?)")
    if not token:
        raise AnymailWebhookValidationFailure("Mailgun webhook without a token")
    WebhookToken.objects.filter(seen_at__lt=now - 2 * MAILGUN_MAX_AGE).delete()
    try:
        with transaction.atomic():
            WebhookToken.objects.create(token=token[:200], seen_at=now)
    except IntegrityError as exc:
        raise AnymailWebhookValidationFailure("Mailgun webhook token reused (replay)") from exc


class MailgunInboundReplayCheckedView(MailgunInboundWebhookView):
    """anymail's Mailgun inbound view, refusing replays after its own checks pass."""

    def run_validators(self, request: HttpRequest) -> None:
        super().run_validators(request)
        mailgun_refuse_replay(request)


def _ses_topic_allowed(request: HttpRequest) -> bool:
    try:
        topic = json.loads(request.body.decode("utf-8")).get("TopicArn", "")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return False
    return bool(topic) and topic in settings.MAIL_SES_TOPIC_ARNS


def _guarded(view: Callable[..., HttpResponse], name: str) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            if not webhook_secret_configured():
                log.warning("Refused a %s webhook post: ANYMAIL_WEBHOOK_SECRET is not set", name)
                return HttpResponseForbidden(
                    "Webhooks are disabled until ANYMAIL_WEBHOOK_SECRET is set."
                )
            if name.startswith("amazon_ses") and not _ses_topic_allowed(request):
                log.warning("Refused an Amazon SES post from an unknown SNS topic")
                return HttpResponseForbidden("Unknown SNS topic.")
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except (AnymailConfigurationError, AnymailImproperlyInstalled):
            # Not set up for this service: the service retries later, nothing is lost.
            log.exception("The %s webhook is not configured", name)
            return HttpResponse("Webhook not configured.", status=503)

    return csrf_exempt(login_not_required(guarded))


def _patterns() -> list[URLPattern]:
    patterns = []
    for pattern in anymail_urlpatterns:
        view = pattern.callback
        if pattern.name == "mailgun_inbound_webhook":
            view = MailgunInboundReplayCheckedView.as_view()
        patterns.append(
            URLPattern(
                pattern.pattern, _guarded(view, pattern.name), pattern.default_args, pattern.name
            )
        )
    return patterns


#: Include as ``path("anymail/", include((webhook_urlpatterns, "anymail")))``.
webhook_urlpatterns = _patterns()


# --- Receivers ----------------------------------------------------------------------------


def raw_from_event(event: Any) -> bytes:
    """The message exactly as the service delivered it, where the service gives it raw.

    Mailgun (``body-mime``), SendGrid ("send raw", ``email``), Postmark
    (``RawEmail``) and Amazon SES (SNS ``content``) hand over the original bytes;
    otherwise the message anymail built from the service's fields is serialised.
    """
    esp_event = event.esp_event
    raw: Any = None
    if isinstance(esp_event, HttpRequest):
        raw = esp_event.POST.get("body-mime") or esp_event.POST.get("email")
    elif isinstance(esp_event, dict):
        if esp_event.get("RawEmail"):
            raw = esp_event["RawEmail"]
        elif esp_event.get("content") and isinstance(esp_event.get("receipt"), dict):
            action = esp_event["receipt"].get("action", {})
            raw = esp_event["content"]
            if action.get("encoding") == "BASE64":
                raw = b64decode(raw)
    if isinstance(raw, str):
        return raw.encode("utf-8", errors="surrogateescape")
    if isinstance(raw, bytes):
        return raw
    message = event.message
    try:
        return message.as_bytes()
    except Exception:
        return str(message).encode("utf-8", errors="surrogateescape")


def store_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail inbound signal: store the raw message; processing follows the commit."""
    message = event.message
    receipt = mail_receive(
        raw=raw_from_event(event),
        source=esp_name,
        esp_event_id=str(event.event_id or ""),
        envelope_sender=getattr(message, "envelope_sender", None) or "",
        envelope_recipient=getattr(message, "envelope_recipient", None) or "",
        received_at=event.timestamp or timezone.now(),
    )
    log.info("Inbound mail from %s stored as %s", esp_name, receipt.message.pk)


_TRACKING_STATUS = {
    EventType.DELIVERED: OutboundStatus.DELIVERED,
    EventType.BOUNCED: OutboundStatus.BOUNCED,
    EventType.REJECTED: OutboundStatus.FAILED,
    EventType.FAILED: OutboundStatus.FAILED,
}


def record_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail tracking signal: delivered, bounced or rejected shows on our message."""
    status = _TRACKING_STATUS.get(event.event_type)
    if status is None or not event.message_id:
        return
    mid = str(event.message_id).strip("<>")
    detail = (event.description or event.mta_response or "")[:2000]
    messages = OutboundMessage.objects.filter(esp_message_id=mid) | OutboundMessage.objects.filter(
        message_id=mid
    )
    if status == OutboundStatus.DELIVERED:
        # A late "delivered" never hides an earlier bounce.
        messages = messages.exclude(status=OutboundStatus.BOUNCED)
    messages.update(status=status, status_detail=detail)


inbound.connect(store_inbound, dispatch_uid="cases.intake.store_inbound")
tracking.connect(record_tracking, dispatch_uid="cases.intake.record_tracking")
