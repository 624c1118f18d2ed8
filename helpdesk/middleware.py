"""Middleware of the staff shell: browser features switched off, sessions that end when idle."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: Where the session keeps the time of its last refresh (seconds since the epoch).
IDLE_REFRESHED_KEY = "_idle_refreshed_at"


def permissions_policy_header(denied: list[str]) -> str:
    """``camera=(), microphone=(), …``: each feature allowed to no origin at all."""
    return ", ".join(f"{feature}=()" for feature in denied)


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header that denies ``settings.PERMISSIONS_POLICY_DENIED``.

    The helpdesk needs no camera, microphone or location; denying them means a
    script that slips in cannot ask for them either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SessionIdleMiddleware:
    """Move a signed-in session's expiry on with use, at most once a minute.

    A session is stored with an expiry of ``SESSION_COOKIE_AGE`` from its last save.
    ``SESSION_SAVE_EVERY_REQUEST`` would keep that moving too, but writes the session
    row on every request, including each keystroke of the caller search. Marking
    the session changed once per ``SESSION_IDLE_REFRESH_SECONDS`` costs one write a
    minute per active user, and the idle limit is then exact to within that minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = settings.SESSION_IDLE_REFRESH_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key:
            now = int(time.time())
            refreshed = int(session.get(IDLE_REFRESHED_KEY, 0))
            # Reading loads the session; an expired or unknown one loses its key then,
            # and is left alone: no new session is made here for an anonymous visitor.
            if session.session_key and now - refreshed >= self.interval:
                session[IDLE_REFRESHED_KEY] = now
        return self.get_response(request)
