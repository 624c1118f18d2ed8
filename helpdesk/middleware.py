"""Middleware of the staff shell: browser features switched off, sessions that end when idle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


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
    row on every request, including each keystroke of the caller search. Here the
    session is saved again only once its last save is ``SESSION_IDLE_REFRESH_SECONDS``
    old: one write a minute per active user, and the idle limit exact to that minute.
    The time of the last save comes from ``helpdesk.sessions.SessionStore``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = dt.timedelta(seconds=settings.SESSION_IDLE_REFRESH_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Signed-in sessions only (the check loads the session): an anonymous visitor
        # gets no session made for them here.
        if session.session_key and SESSION_KEY in session:
            stored_expiry = getattr(session, "stored_expiry", None)
            if stored_expiry is not None:
                last_saved = stored_expiry - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
                if timezone.now() - last_saved >= self.interval:
                    session.modified = True
        return self.get_response(request)


class RefuseNulMiddleware:
    """Refuse a request whose address carries a NUL character, with 400 and a plain page.

    No person types a NUL, and PostgreSQL refuses one in any text it is asked to
    compare (a 500 from deep inside a query otherwise). Form fields refuse it
    themselves (Django's CharField does); this covers the path and the query
    string, which reach filters and look-ups directly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address")
        return self.get_response(request)
