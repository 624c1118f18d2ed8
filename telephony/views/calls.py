"""The caller log (like Zammad's), and logging a call the phone system told of.

The log shows a day's calls, newest first, missed ones marked; filters for
missed, answered and outside phone hours. Each row links to its contact and to
the case the call is on. Logging a call from the pop-up opens the log-a-call
screen filled in from the events (number, start, the matched contact) and, on
saving, joins the phone system's call to the logged one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from calendars.span import within_span
from cases.forms import CallForm
from cases.phones import display
from scheduling.callbacks.errors import CallbackError
from scheduling.views.callbacks import announce_callback_of_call, callback_refusal_text
from scheduling.views.calls import call_page_context
from telephony.events import AlreadyLogged, call_log_from_event
from telephony.models import Call
from telephony.selectors import LogFilter, calls_for_log


def _day(request: HttpRequest) -> dt.date:
    today = timezone.localdate()
    raw = request.GET.get("day", "")
    if not raw:
        return today
    try:
        asked = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request, _("“%(value)s” is not a date; showing today.") % {"value": raw[:20]}
        )
        return today
    if not within_span(asked):
        messages.error(request, _("That date is outside the years the calendars know."))
        return today
    return asked


def call_log_page(request: HttpRequest) -> HttpResponse:
    """A day's calls from the phone system (today by default), newest first."""
    day = _day(request)
    which = request.GET.get("show", "")
    if which not in LogFilter.choices:
        which = LogFilter.ALL
    return render(
        request,
        "telephony/call_log.html",
        {
            "calls": calls_for_log(day=day, which=which)[:500],
            "day": day,
            "which": which,
            "filters": [
                (LogFilter.ALL, _("All calls")),
                (LogFilter.MISSED, _("Missed")),
                (LogFilter.ANSWERED, _("Answered")),
                (LogFilter.OUTSIDE, _("Outside phone hours")),
            ],
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "is_today": day == timezone.localdate(),
        },
    )


def _initial(call: Call) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "contact": call.contact,
        "organisation": call.organisation,
        "direction": call.direction,
        "started_at": timezone.localtime(call.started_at).replace(second=0, microsecond=0),
    }
    if call.number:
        initial["number"] = display(call.number)
    if call.ended_at is not None:
        initial["duration_minutes"] = round(call.duration.total_seconds() / 60)
    return initial


@require_http_methods(["GET", "POST"])
def call_take_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Log-a-call, filled in from the phone system's call; saving joins the two."""
    call = get_object_or_404(
        Call.objects.select_related("contact", "organisation", "phone_call__case"), pk=pk
    )
    if call.phone_call is not None:
        messages.info(
            request,
            _("This call is already logged on case %(reference)s.")
            % {"reference": call.phone_call.case.reference},
        )
        return redirect("case_detail", reference=call.phone_call.case.reference)
    picked = (call.contact, call.organisation)
    if request.method == "POST":
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                record = call_log_from_event(call=call, actor=request.user, take=form.take_kwargs())
            except AlreadyLogged as exc:
                messages.info(request, str(exc))
                return redirect("telephony_call_log")
            except CallbackError as exc:
                form.add_error("callback_at", callback_refusal_text(exc))
            else:
                messages.success(
                    request,
                    _("Call logged on case %(reference)s.") % {"reference": record.case.reference},
                )
                announce_callback_of_call(request, record)
                return redirect("case_detail", reference=record.case.reference)
    else:
        form = CallForm(initial=_initial(call))
    context = call_page_context(request, form=form, query="", picked=picked)
    context["form_action"] = reverse("telephony_call_take", args=[call.pk])
    context["phone_system_call"] = call
    return render(request, "cases/call_log.html", context)
