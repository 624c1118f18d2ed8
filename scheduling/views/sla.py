"""The first-answer target for staff: which cases are about to miss the promise."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.first_answer import clock as sla
from scheduling.selectors import sla_open_cases

PAGE_SIZE = 100


def sla_at_risk(request: HttpRequest) -> HttpResponse:
    """Unanswered active cases, soonest due first, with the working time left (staff, managers)."""
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    now = timezone.now()
    page = Paginator(sla_open_cases(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scheduling/sla_at_risk.html",
        {
            "page": page,
            "rows": sla.target_rows(page.object_list, now),
            "now": now,
            "warning_hours": int(sla.AT_RISK_WITHIN.total_seconds() // 3600),
        },
    )
