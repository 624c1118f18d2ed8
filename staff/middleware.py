"""Two-factor sign-in enforced on every page: a session that owes a code, or a set-up, goes there.

After the password, a user with two-factor sign-in is signed in but not *verified*
(django-otp's ``OTPMiddleware`` tells): every page sends them to the code page until
they enter a code. A member of ``OTP_REQUIRED_GROUPS`` without it is sent to the set-up
page. Both hold whichever way the session was signed in (this site's login or the
administration's). A verified session, or one of a user who needs nothing, passes at
the cost of no query beyond those the page makes anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from staff.selectors import has_two_factor, two_factor_required
from staff.signals import TWO_FACTOR_SET_UP_KEY

#: Pages open to every signed-in session: leaving, and choosing the language.
ALWAYS_OPEN = frozenset({"logout", "set_language"})
CODE_PAGE = "login_code"
SET_UP_PAGE = "two_factor_setup"


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ALWAYS_OPEN:
            return None
        set_up = request.session.get(TWO_FACTOR_SET_UP_KEY)
        if set_up is None:  # a session from before this check existed
            set_up = has_two_factor(user)
            request.session[TWO_FACTOR_SET_UP_KEY] = set_up
        if set_up:
            return None if name == CODE_PAGE else _send_to(request, CODE_PAGE)
        if two_factor_required(user):
            return None if name == SET_UP_PAGE else _send_to(request, SET_UP_PAGE)
        return None


def _send_to(request: HttpRequest, page: str) -> HttpResponse:
    url = reverse(page)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        # An htmx request would swap the whole page into a fragment: have the browser go.
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
