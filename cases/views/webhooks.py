"""anymail's webhooks, hardened, and the receivers that store what they deliver.

anymail only *warns* when ``ANYMAIL["WEBHOOK_SECRET"]`` is unset, and some mail
services sign nothing (Postmark, SendGrid inbound, Amazon SES — anymail does
not check the SNS signature). So every anymail URL is wrapped here:

- without a webhook secret every post is refused (403), for every service;
- basic auth (the secret) and the service's own signature are then checked by
  anymail itself;
- Mailgun (inbound and tracking): a post older (or newer) than five minutes,
  or with a token seen before, is refused — anymail checks the signature but
  not replays;
- Amazon SES: only notifications of the SNS topics in ``MAIL_SES_TOPIC_ARNS``,
  and only with a valid AWS signature (``cases.intake.sns``); the body is read
  for them only once the post has shown the secret (401 otherwise);
- a service that is not set up (its signing key missing) answers 503 with one
  warning line, so its retries come back once it is;
- the whole post runs in one transaction, so a refused or failed post leaves
  nothing behind (not even a used token) and the service's retry is welcome.

The inbound receiver only stores the raw message (``mail_receive``); parsing and
case work happen after the commit and can never make the service retry forever.
The tracking receiver keeps delivered, bounced, rejected, failed and complained
reports on our sent message (``DeliveryEvent``), once per report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from anymail.utils import get_request_basic_auth
from anymail.webhooks.amazon_ses import (
    AmazonSESInboundWebhookView,
    AmazonSESTrackingWebhookView,
)
from anymail.webhooks.mailgun import MailgunInboundWebhookView, MailgunTrackingWebhookView
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

from cases.intake.email import mail_receive
from cases.intake.sns import SnsVerificationError, sns_verify
from cases.models import (
    DeliveryEvent,
    DeliveryEventKind,
    OutboundMessage,
    OutboundStatus,
    WebhookToken,
)

log = logging.getLogger(__name__)

#: Mailgun signs a timestamp; a post further from now than this is a replay.
MAILGUN_MAX_AGE = dt.timedelta(minutes=5)


# --- Authentication ---------------------------------------------------------------------


def webhook_secret_configured() -> bool:
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    return bool(secret)


def webhook_basic_auth_ok(request: HttpRequest) -> bool:
    """Whether the post carries the webhook secret as basic auth (as anymail checks it)."""
    secrets = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET") or []
    if isinstance(secrets, str):
        secrets = [secrets]
    given = get_request_basic_auth(request)
    return given is not None and any(constant_time_compare(given, s) for s in secrets)


def mailgun_refuse_replay(request: HttpRequest, *, now: dt.datetime | None = None) -> None:
    """Refuse a Mailgun post whose signed timestamp is stale or whose token was used.

    Call only after the signature is verified, so a forged post cannot burn a
    genuine token. Tokens are kept in a table (shared by all workers) for as long
    as their timestamp would still be accepted.
    """
    now = now or timezone.now()
    if request.content_type == "application/json":
        # Tracking events: the signature block is part of the JSON body.
        try:
            block = json.loads(request.body.decode("utf-8")).get("signature") or {}
        except (ValueError, UnicodeDecodeError, AttributeError):
            block = {}
        token, timestamp = str(block.get("token", "")), block.get("timestamp", "")
    else:
        token, timestamp = request.POST.get("token", ""), request.POST.get("timestamp", "")
    try:
        signed_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
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


class MailgunTrackingReplayCheckedView(MailgunTrackingWebhookView):
    """anymail's Mailgun tracking view, refusing replays after its own checks pass."""

    def run_validators(self, request: HttpRequest) -> None:
        super().run_validators(request)
        mailgun_refuse_replay(request)


def sns_refuse_unsigned(request: HttpRequest) -> None:
    """Refuse an SNS post whose AWS signature is missing or wrong (see ``cases.intake.sns``)."""
    try:
        message = json.loads(request.body.decode("utf-8"))
        sns_verify(message)
    except (ValueError, UnicodeDecodeError, SnsVerificationError) as exc:
        raise AnymailWebhookValidationFailure(f"Amazon SNS signature refused: {exc}") from exc


class AmazonSESInboundSignedView(AmazonSESInboundWebhookView):
    """anymail's Amazon SES inbound view, also checking the SNS signature."""

    def run_validators(self, request: HttpRequest) -> None:
        super().run_validators(request)
        sns_refuse_unsigned(request)


class AmazonSESTrackingSignedView(AmazonSESTrackingWebhookView):
    """anymail's Amazon SES tracking view, also checking the SNS signature."""

    def run_validators(self, request: HttpRequest) -> None:
        super().run_validators(request)
        sns_refuse_unsigned(request)


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
            if name.startswith("amazon_ses"):
                # The topic check reads the JSON body (up to 40 MB): only for a post
                # that knows the secret, so an anonymous one costs no parsing.
                if not webhook_basic_auth_ok(request):
                    log.warning("Refused an Amazon SES post without the webhook secret")
                    response = HttpResponse("Webhook secret required.", status=401)
                    response["WWW-Authenticate"] = 'Basic realm="anymail"'
                    return response
                if not _ses_topic_allowed(request):
                    log.warning("Refused an Amazon SES post from an unknown SNS topic")
                    return HttpResponseForbidden("Unknown SNS topic.")
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except (AnymailConfigurationError, AnymailImproperlyInstalled) as exc:
            # Not set up for this service: the service retries later, nothing is lost.
            # Anyone may post here, so one line per post, not a traceback each time.
            log.warning("The %s webhook is not configured: %s", name, " ".join(str(exc).split()))
            response = HttpResponse("Webhook not configured.", status=503)
            # Django logs (and mails to ADMINS) every 5xx as an error; the warning
            # above is the whole story, so it is marked as logged already.
            response._has_been_logged = True  # type: ignore[attr-defined]
            return response
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError) as exc:
            # Authenticated, but not the service's payload shape: say so. Nothing was
            # stored (the transaction rolled back), and a resend gets the same answer.
            log.warning("Refused a malformed %s webhook post: %s", name, type(exc).__name__)
            return HttpResponse("Malformed webhook payload.", status=400)

    return csrf_exempt(login_not_required(guarded))


def _patterns() -> list[URLPattern]:
    patterns = []
    for pattern in anymail_urlpatterns:
        view = pattern.callback
        if pattern.name == "mailgun_inbound_webhook":
            view = MailgunInboundReplayCheckedView.as_view()
        elif pattern.name == "amazon_ses_inbound_webhook":
            view = AmazonSESInboundSignedView.as_view()
        elif pattern.name == "amazon_ses_tracking_webhook":
            view = AmazonSESTrackingSignedView.as_view()
        elif pattern.name == "mailgun_tracking_webhook":
            view = MailgunTrackingReplayCheckedView.as_view()
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


_TRACKING_KIND = {
    EventType.DELIVERED: DeliveryEventKind.DELIVERED,
    EventType.BOUNCED: DeliveryEventKind.BOUNCED,
    EventType.REJECTED: DeliveryEventKind.REJECTED,
    EventType.FAILED: DeliveryEventKind.FAILED,
    EventType.COMPLAINED: DeliveryEventKind.COMPLAINED,
}

#: What each event makes of the message's status; a complaint leaves it as it is.
_KIND_STATUS = {
    DeliveryEventKind.DELIVERED: OutboundStatus.DELIVERED,
    DeliveryEventKind.BOUNCED: OutboundStatus.BOUNCED,
    DeliveryEventKind.REJECTED: OutboundStatus.FAILED,
    DeliveryEventKind.FAILED: OutboundStatus.FAILED,
}


def _bare_id(value: Any) -> str:
    return str(value or "").strip().strip("<>").strip()[:500]


def tracking_message_ids(event: Any) -> list[str]:
    """Every id in a tracking event that can name our message.

    The service's own id (what ``mail_send`` kept from ``anymail_status``) and,
    where the event carries the message's headers, our Message-ID: the console
    and test backends give no service id, and a service may report either.
    """
    ids = [_bare_id(event.message_id)]
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    ids.append(_bare_id(raw.get("smtp-id")))  # SendGrid
    event_data = raw.get("event-data")  # Mailgun
    if isinstance(event_data, dict):
        headers = (event_data.get("message") or {}).get("headers") or {}
        if isinstance(headers, dict):
            ids.append(_bare_id(headers.get("message-id")))
    mail = raw.get("mail")  # Amazon SES
    if isinstance(mail, dict):
        ids.append(_bare_id(mail.get("messageId")))
        ids.append(_bare_id((mail.get("commonHeaders") or {}).get("messageId")))
        for header in mail.get("headers") or []:
            if isinstance(header, dict) and str(header.get("name", "")).lower() == "message-id":
                ids.append(_bare_id(header.get("value")))
    return list(dict.fromkeys(i for i in ids if i))


def tracking_event_key(event: Any, esp_name: str) -> str:
    """The event's id with its recipient, or a digest of its fields when it has no id.

    Postmark sends delivery events without an id; Amazon SES sends one
    notification (one id) for all the recipients of a message.
    """
    recipient = str(event.recipient or "").lower()
    if event.event_id:
        return f"{event.event_id}:{recipient}"[:200]
    fields = [esp_name, str(event.event_type), _bare_id(event.message_id), recipient]
    fields.append(event.timestamp.isoformat() if event.timestamp else "")
    fields.append(str(event.description or event.mta_response or ""))
    return "sha256:" + hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def record_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail tracking signal: delivered, bounced, rejected, failed or complained.

    The event is kept on our message (once, however often the service sends it)
    and sets the message's status; a late "delivered" never hides a bounce.
    Events about mail we did not send, and opens and clicks, are ignored.
    """
    kind = _TRACKING_KIND.get(event.event_type)
    ids = tracking_message_ids(event)
    if kind is None or not ids:
        return
    message = (
        OutboundMessage.objects.filter(Q(esp_message_id__in=ids) | Q(message_id__in=ids))
        .only("pk", "status")
        .order_by("pk")
        .first()
    )
    if message is None:
        log.info("A %s event from %s names no message of ours", kind, esp_name)
        return
    detail = " — ".join(
        part for part in dict.fromkeys([event.description, event.mta_response]) if part
    )[:2000]
    now = timezone.now()
    _, created = DeliveryEvent.objects.get_or_create(
        source=esp_name[:60],
        event_key=tracking_event_key(event, esp_name),
        defaults={
            "message": message,
            "kind": kind,
            "occurred_at": event.timestamp or now,
            "recipient": str(event.recipient or "")[:320],
            "detail": detail,
            "recorded_at": now,
        },
    )
    status = _KIND_STATUS.get(kind)
    if not created or status is None:
        return
    updated = OutboundMessage.objects.filter(pk=message.pk)
    if status == OutboundStatus.DELIVERED:
        updated = updated.exclude(status=OutboundStatus.BOUNCED)
    updated.update(status=status, status_detail=detail)


inbound.connect(store_inbound, dispatch_uid="cases.intake.store_inbound")
tracking.connect(record_tracking, dispatch_uid="cases.intake.record_tracking")
