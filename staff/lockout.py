"""The lockout page, and refusing a locked-out sign-in before any other work is done.

axes' own path refuses a locked-out attempt without hashing its password, but only deep
in the login view: after the session is read, the CSRF check and the form, with a
clean-up write to axes' table, two aggregate queries, and the form drawn and thrown away.
Under a flood of attempts that is still several milliseconds of CPU each.

``LockedOutSignInMiddleware`` answers first thing instead. It asks axes (the one rule for
who is locked out), and then remembers a refusal for a few seconds in this process, so a
flood from one address or at one account costs a dictionary look-up and a page drawn
once per language: well under a millisecond. Only refusals are remembered, never
permissions, so the memory can refuse a little longer than axes would (at most
``REFUSAL_MEMORY_SECONDS`` after an unlock made in another process), never allow more.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from staff.client_ip import client_ip

LOCKOUT_TEMPLATE = "registration/lockout.html"
REFUSAL_MEMORY_SECONDS = 5.0
#: A flood from very many addresses must not grow the memory without end.
REFUSAL_MEMORY_SIZE = 10_000

#: The lockout page by language: it shows nothing of the request, so it is drawn once.
_pages: dict[str, bytes] = {}
#: ("address", ip) or ("account", username, ip) -> time.time() until which it is refused.
_refused: dict[tuple[str | None, ...], float] = {}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The lockout page (also ``AXES_LOCKOUT_CALLABLE``): how long, and the way out by mail."""
    language = translation.get_language_from_request(request)
    page = _pages.get(language)
    if page is None:
        minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
        with translation.override(language):
            page = render_to_string(LOCKOUT_TEMPLATE, {"minutes": minutes}).encode()
        _pages[language] = page
    response = HttpResponse(page, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Content-Language"] = language
    return response


def refusals_forget() -> None:
    """Forget every remembered refusal (an unlock in this process; each test)."""
    _refused.clear()


def _remembered(keys: tuple[tuple[str | None, ...], ...]) -> bool:
    now = time.time()
    for key in keys:
        until = _refused.get(key)
        # A clock set back must not stretch a refusal: anything further ahead is stale.
        if until is not None and now < until <= now + REFUSAL_MEMORY_SECONDS:
            return True
    return False


def _remember(key: tuple[str | None, ...]) -> None:
    if len(_refused) >= REFUSAL_MEMORY_SIZE:
        _refused.clear()
    _refused[key] = time.time() + REFUSAL_MEMORY_SECONDS


class LockedOutSignInMiddleware:
    """Refuse a sign-in POST from a locked-out account or address, before the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._login_path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and settings.AXES_ENABLED:
            if self._login_path is None:
                self._login_path = reverse("login")
            if request.path_info == self._login_path and self._refused(request):
                return lockout_response(request)
        return self.get_response(request)

    @staticmethod
    def _refused(request: HttpRequest) -> bool:
        ip, username = client_ip(request), request.POST.get("username")
        address, account = ("address", ip), ("account", username, ip)
        if _remembered((address, account)):
            return True
        if AxesProxyHandler.is_allowed(request, {"username": username}):
            return False
        # Without a username only the address's own count is left: is the address itself
        # locked (then every account from it is), or only this account from it?
        address_locked = not AxesProxyHandler.is_allowed(request, {"username": None})
        _remember(address if address_locked else account)
        return True
