"""A phone system's bridge for the tests: the documented payloads, posted over real HTTP.

The payloads are those of docs/telephony.md: Zammad's generic CTI API (as JSON or
as form data, with ``user[]`` repeated) and Voys call notifications.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

HELPDESK_NUMBER = "+31307001234"


def zammad(event: str, call_id: str, *, caller: str = "0546123456", **extra) -> dict:
    """A Zammad CTI event of an incoming call to the helpdesk."""
    data = {
        "event": event,
        "from": caller,
        "to": HELPDESK_NUMBER,
        "direction": "in",
        "callId": call_id,
        "user": ["Sanne de Vries"],
        "queue": "helpdesk",
    }
    if event == "answer":
        data["answeringNumber"] = "201"
    data.update(extra)
    return data


def voys(status: str, call_id: str, *, caller: str = "+31546123456", **extra) -> dict:
    """A Voys call notification of an incoming call to the helpdesk."""
    data = {
        "call_id": call_id,
        "status": status,
        "direction": "inbound",
        "caller": {"number": caller, "name": "Jan Jansen"},
        "destination": {"number": HELPDESK_NUMBER, "target_number": "201"},
    }
    data.update(extra)
    return data


@dataclass
class Answer:
    status: int
    body: dict
    headers: dict


def post(
    url: str,
    data: dict | None = None,
    *,
    form: bool = False,
    raw: bytes | None = None,
    headers: dict | None = None,
) -> Answer:
    """POST over HTTP (urllib, as a bridge would); 4xx and 5xx come back as answers too."""
    if raw is not None:
        body = raw
        content_type = "application/json"
    elif form:
        body = urllib.parse.urlencode(
            [
                (("user[]" if k == "user" else k), v)
                for k, vs in data.items()
                for v in (vs if isinstance(vs, list) else [vs])
            ]
        ).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        body = json.dumps(data).encode()
        content_type = "application/json"
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(
                response.status, json.loads(response.read() or b"{}"), dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, json.loads(error.read() or b"{}"), dict(error.headers))
