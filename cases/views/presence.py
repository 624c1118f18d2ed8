"""The presence line of a case page: the page reports in, and hears who else is there."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors_workspace
from cases.models import Case
from cases.services.presence import presence_record


@require_POST
def case_presence(request: HttpRequest, reference: str) -> HttpResponse:
    """Record that the user has the case open (``writing=1``: is writing a reply) and
    answer with who else has it open: one write and one read."""
    case = get_object_or_404(Case.objects.only("pk", "reference"), reference=reference)
    now = timezone.now()
    presence_record(
        case=case, user=request.user, writing=request.POST.get("writing") == "1", now=now
    )
    others = selectors_workspace.others_present(case, request.user, now)
    return render(
        request,
        "cases/_presence.html",
        {"case": case, "others": others, "poll_seconds": settings.PRESENCE_POLL_SECONDS},
    )
