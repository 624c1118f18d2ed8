"""The pop-up's unchanged poll, answered before the session is read (see ``telephony.polling``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from telephony.polling import unchanged_poll


class RingingPollMiddleware:
    """A poll with a genuine, fresh poll token whose pop-up is unchanged: 204 from the cache.

    Anything else (no token, an old one, one whose user signed out, a change to
    show) goes on to the signed-in view. This answer carries no data, so a token
    that leaked reveals nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.path = reverse("telephony_ringing")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == self.path and request.method == "GET":
            token = request.GET.get("poll", "")
            if token and unchanged_poll(token, request.GET.get("shown", "")):
                return HttpResponse(status=204)
        return self.get_response(request)
