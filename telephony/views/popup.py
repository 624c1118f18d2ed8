"""The caller on screen: the pop-up every signed-in staff page polls while it is open.

Polled by htmx every second (``templates/telephony/_poller.html``). Each answer
carries a key of what it shows; when the browser sends that key back and nothing
changed, the answer is 204 (htmx leaves the page alone) after one query. So a
quiet phone costs one indexed query per poll, and a screen reader hears the
pop-up only when it changes. Why polling and not server-sent events: see
docs/telephony.md.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from telephony.selectors import caller_card, calls_ringing

#: At most this many ringing calls are shown at once (a queue with more waiting is rare,
#: and the pop-up must not cover the page).
MAX_SHOWN = 3


@require_GET
def ringing(request: HttpRequest) -> HttpResponse:
    """The ringing (and answered, still going) incoming calls, with their callers."""
    calls = list(calls_ringing()[:MAX_SHOWN])
    key = ",".join(f"{call.pk}.{call.answered_by_id or 0}" for call in calls)
    if request.GET.get("shown") == key:
        return HttpResponse(status=204)
    return render(
        request,
        "telephony/_ringing.html",
        {"cards": [caller_card(call) for call in calls], "key": key},
    )
