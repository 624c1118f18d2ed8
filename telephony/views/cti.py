"""Where phone systems post call events: Zammad's generic CTI format and Voys's notifications.

``POST /cti/<token>/`` takes Zammad's format unchanged (JSON or form data), so a
bridge written for Zammad only needs our URL. ``POST /cti/<token>/voys/`` takes
Voys call notifications. Both answer ``{}``, or ``{"action": "reject", "reason":
"busy"}`` for a newCall from a number a manager blocked.

Every refusal is a 4xx with a JSON ``error`` saying why, and stores nothing:

* 401: unknown or revoked token, or a missing or wrong signature;
* 403: the address is not on the phone system's allow-list;
* 413: the post is larger than ``TELEPHONY_MAX_PAYLOAD_BYTES``;
* 415: neither JSON nor form data;
* 400: not a call event (the error names the field);
* 429: more new events in the last minute than ``TELEPHONY_EVENTS_PER_MINUTE``
  (a retry of an event already stored is still answered as before).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from staff.client_ip import client_ip
from telephony.events import TooManyEvents, cti_event_receive
from telephony.known import known
from telephony.payloads import (
    CallEventData,
    PayloadError,
    refuse_nul,
    voys_event,
    zammad_event,
)
from telephony.signing import SIGNATURE_HEADER, address_allowed, signature_valid

log = logging.getLogger(__name__)


def _refuse(status: int, error: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": error}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _read(request: HttpRequest, body: bytes) -> dict[str, Any]:
    """The post as a mapping: a JSON object, or form fields (repeated ones as lists)."""
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise PayloadError("the body is not valid JSON") from exc
        if not isinstance(data, dict):
            raise PayloadError("the body must be a JSON object")
        return data
    if content_type == "application/x-www-form-urlencoded":
        try:
            fields = QueryDict(body.decode("utf-8"), encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PayloadError("the form data is not UTF-8") from exc
        return {
            key: values if key.endswith("[]") or len(values) > 1 else values[0]
            for key, values in fields.lists()
        }
    raise LookupError(content_type)


def _receive(
    request: HttpRequest, token: str, parse: Callable[[dict[str, Any]], CallEventData]
) -> JsonResponse:
    kept = known()  # one look at the cache's generation for the whole post
    system = kept.system_for(token)
    if system is None:
        return _refuse(401, "unknown token")
    if not system.is_active:
        return _refuse(401, "this token was revoked")
    if not address_allowed(client_ip(request), system.allowed_networks):
        return _refuse(403, "this address may not post events for this phone system")
    limit = settings.TELEPHONY_MAX_PAYLOAD_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _refuse(413, f"the post is larger than {limit} bytes")
    body = request.read(limit + 1)
    if len(body) > limit:
        return _refuse(413, f"the post is larger than {limit} bytes")
    if system.signing_secret and not signature_valid(
        system.signing_secret, body, request.headers.get(SIGNATURE_HEADER)
    ):
        return _refuse(401, f"the {SIGNATURE_HEADER} header is missing or does not match")
    try:
        data = _read(request, body)
        refuse_nul(data)
        event = parse(data)
    except LookupError:
        return _refuse(415, "send JSON (application/json) or form data")
    except PayloadError as exc:
        return _refuse(400, str(exc))
    try:
        answer = cti_event_receive(
            system=system, event=event, payload=data, now=timezone.now(), blocked=kept.blocked
        )
    except TooManyEvents:
        log.warning("Phone system %s: too many call events a minute", system.pk)
        return _refuse(
            429,
            f"more than {settings.TELEPHONY_EVENTS_PER_MINUTE} events a minute",
            **{"Retry-After": "60"},
        )
    return JsonResponse(answer)


@csrf_exempt
@login_not_required
@require_POST
def cti_zammad(request: HttpRequest, token: str) -> JsonResponse:
    """A call event in Zammad's generic CTI format (JSON or form data)."""
    return _receive(request, token, zammad_event)


@csrf_exempt
@login_not_required
@require_POST
def cti_voys(request: HttpRequest, token: str) -> JsonResponse:
    """A Voys call notification, read as the same events."""
    return _receive(request, token, lambda data: voys_event(data, now=timezone.now()))
