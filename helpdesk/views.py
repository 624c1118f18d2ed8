"""Pages of the staff shell that belong to no single app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My open cases, unassigned cases and urgent cases: where a working day starts."""
    return render(request, "helpdesk/dashboard.html", selectors.dashboard_lists(request.user))
