"""The caller on screen: the pop-up every signed-in staff page polls while it is open.

Polled by htmx every second (``templates/telephony/_poller.html``). Each answer
carries the key of what it shows and a poll token; an unchanged poll is
answered 204 (htmx leaves the page alone) by ``RingingPollMiddleware`` before
the session is read, from the cache. This view answers the rest: a change, or
a poll whose token is missing, old or of a grant that ended (it renders the
pop-up again with a fresh token); a poll of someone signed out never gets here,
the sign-in does. Why polling and not server-sent events: see docs/telephony.md.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from telephony.polling import poll_token, poll_token_user
from telephony.ringing import MAX_SHOWN, ringing_key
from telephony.selectors import caller_card, calls_ringing


@require_GET
def ringing(request: HttpRequest) -> HttpResponse:
    """The ringing (and answered, still going) incoming calls, with their callers."""
    calls = list(calls_ringing()[:MAX_SHOWN])
    key = ringing_key(calls)
    fresh = poll_token_user(request.GET.get("poll", "")) == request.user.pk
    if fresh and request.GET.get("shown") == key:
        return HttpResponse(status=204)
    return render(
        request,
        "telephony/_ringing.html",
        {
            "cards": [caller_card(call) for call in calls],
            "key": key,
            "poll": poll_token(request.user.pk),
        },
    )
