"""Pages of the staff shell that belong to no single app."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from cases import selectors

log = logging.getLogger(__name__)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My open cases, unassigned cases and urgent cases: where a working day starts."""
    return render(request, "helpdesk/dashboard.html", selectors.dashboard_lists(request.user))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the layout of every page, with the menu where that is safe.

    Django's own handler renders without the request, so the page would lose the
    menu. With the request, the context processors run (the user, the roles): when
    the error broke something they need, such as the database, the page is drawn
    again without any context rather than not at all.
    """
    try:
        html = render_to_string("500.html", request=request)
    except Exception:  # the error page must not fail: any failure falls back
        log.warning("The error page was drawn without the request", exc_info=True)
        html = render_to_string("500.html")
    return HttpResponseServerError(html)
