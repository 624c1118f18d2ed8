"""Callback pages: booking one for a case, its confirmation, and the morning queue."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calendars.configured import phone_hours
from calendars.span import within_span
from cases.models import Case, PhoneCall, PhoneNumber
from scheduling.callback_forms import CallbackBookForm, CallbackOutcomeForm
from scheduling.callbacks import queue
from scheduling.callbacks.booking import callback_schedule, slot_length
from scheduling.callbacks.errors import CallbackError, SlotUnavailable
from scheduling.callbacks.queue import OutcomeResult
from scheduling.models.callbacks import Callback
from scheduling.selectors import callback_queue, callbacks_for_rows, queue_page_rows
from scheduling.templatetags.callbacks import slot_words


def _slot_choices(starts: list[dt.datetime]) -> list[tuple[str, str]]:
    minutes = slot_length() // dt.timedelta(minutes=1)
    return [(start.isoformat(), slot_words(start, minutes)) for start in starts]


def _offered(request: HttpRequest) -> list[dt.datetime]:
    """The free times offered on the previous screen (sent back as hidden fields)."""
    starts = []
    for raw in request.POST.getlist("offered"):
        try:
            start = dt.datetime.fromisoformat(raw)
        except ValueError:
            continue
        if timezone.is_aware(start):
            starts.append(start)
    return starts


def _known_number(case: Case) -> str:
    if case.contact_id:
        number = PhoneNumber.objects.filter(contact_id=case.contact_id).values_list(
            "number", flat=True
        )
        if found := number.first():
            return found
    return case.calls.order_by("-started_at").values_list("number", flat=True).first() or ""


def callback_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Book a callback for a case: the first free time, or the time the caller asked for."""
    case = get_object_or_404(Case.objects.select_related("contact"), reference=reference)
    offered: list[dt.datetime] = []
    if request.method == "POST":
        offered = _offered(request)
        form = CallbackBookForm(request.POST, choices=_slot_choices(offered))
        if form.is_valid():
            chosen = form.cleaned_data.get("slot")
            requested = (
                dt.datetime.fromisoformat(chosen) if chosen else form.cleaned_data["requested_at"]
            )
            try:
                callback = callback_schedule(
                    case=case,
                    number=form.cleaned_data["number"],
                    actor=request.user,
                    requested_at=requested,
                    requested_by_caller=True,
                )
            except SlotUnavailable as exc:
                offered = exc.choices
                form.fields["slot"].choices = _slot_choices(offered)
                form.add_error("requested_at", exc.message)
            except CallbackError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("callback_detail", pk=callback.pk)
    else:
        form = CallbackBookForm(initial={"number": _known_number(case)})
    return render(
        request,
        "scheduling/callback_form.html",
        {"case": case, "form": form, "offered": [s.isoformat() for s in offered]},
    )


def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One callback: the promised slot in words (what the caller is told), and its state."""
    callback = get_object_or_404(
        Callback.objects.select_related("case", "case__contact", "claimed_by"), pk=pk
    )
    return render(request, "scheduling/callback_detail.html", {"callback": callback})


#: Rows per page of the queue: a morning's work (two staff, sixteen slots) fits on one page,
#: and a queue swollen by a backlog still renders quickly.
QUEUE_PAGE_SIZE = 50


def callback_queue_page(request: HttpRequest) -> HttpResponse:
    """A day's callbacks in the order to make them (see ``selectors.callback_queue``).

    Today by default; ``?day=YYYY-MM-DD`` looks ahead (on a Friday, at Monday's
    bookings) or back. The page links to the previous day and the next phone day.
    """
    today = timezone.localdate()
    day = today
    if raw := request.GET.get("day"):
        try:
            asked = dt.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("“%(value)s” is not a date; showing today.") % {"value": raw})
        else:
            if within_span(asked):
                day = asked
            else:
                messages.error(
                    request,
                    _("%(value)s is outside the years the calendars know; showing today.")
                    % {"value": raw},
                )
    # Counted and paged on the callbacks alone; the rows shown are read for one page.
    queue = callback_queue(day=day, today=today, narrow=True).values_list("pk", flat=True)
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scheduling/callback_queue.html",
        {
            "callbacks": queue_page_rows(list(page.object_list), today=today),
            "page": page,
            "today": day,
            "is_today": day == today,
            "next_phone_day": next_phone_day(after=day),
            "previous_day": day - dt.timedelta(days=1),
        },
    )


def next_phone_day(*, after: dt.date) -> dt.date:
    """The first day after ``after`` on which the phone is answered."""
    tz = timezone.get_default_timezone()
    midnight = dt.datetime.combine(after + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return timezone.localdate(phone_hours().next_open(midnight))


def _row(request: HttpRequest, pk: int, **extra) -> HttpResponse:
    callback = callbacks_for_rows().get(pk=pk)
    context = {"callback": callback, "today": timezone.localdate(), **extra}
    return render(request, "scheduling/_callback_row.html", context)


@require_POST
def callback_claim(request: HttpRequest, pk: int) -> HttpResponse:
    callback = get_object_or_404(Callback, pk=pk)
    try:
        queue.callback_claim(callback=callback, actor=request.user)
    except CallbackError as exc:
        if request.htmx:
            return _row(request, pk, error=exc.message)
        messages.error(request, exc.message)
    else:
        if request.htmx:
            return _row(request, pk)
        messages.success(request, _("You are making this callback."))
    return redirect("callback_queue")


@require_POST
def callback_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    callback = get_object_or_404(Callback, pk=pk)
    form = CallbackOutcomeForm(request.POST)
    result = None
    error = None
    if form.is_valid():
        try:
            result = queue.callback_record_outcome(
                callback=callback,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                resolve_case=form.cleaned_data["resolve_case"],
            )
        except CallbackError as exc:
            error = exc.message
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if request.htmx:
        return _row(request, pk, error=error, result=result, form=form if error else None)
    if error:
        messages.error(request, error)
    elif result is not None:
        messages.success(request, _outcome_message(result))
        if result.gave_up:
            # The caller is emailed instead, from the case, with a suggested text.
            return redirect("callback_email", pk=result.callback.pk)
    return redirect("callback_queue")


def _outcome_message(result: OutcomeResult) -> str:
    if result.gave_up:
        return _(
            "No answer after %(attempts)d attempts: the case is flagged. Email the caller instead."
        ) % {"attempts": result.callback.attempts}
    if result.moved_to is not None:
        minutes = result.callback.slot_minutes
        return _("No answer: moved to %(slot)s.") % {"slot": slot_words(result.moved_to, minutes)}
    return _("Callback recorded.")


# --- For the log-a-call screen ----------------------------------------------------------------


def callback_refusal_text(exc: CallbackError) -> str:
    """The error of a refused callback time, with the free times to offer instead, in words."""
    choices = getattr(exc, "choices", None)
    if not choices:
        return exc.message
    minutes = slot_length() // dt.timedelta(minutes=1)
    return _("%(error)s Free times: %(choices)s.") % {
        "error": exc.message,
        "choices": "; ".join(slot_words(start, minutes) for start in choices),
    }


def announce_callback_of_call(request: HttpRequest, call: PhoneCall) -> Callback | None:
    """Tell the user the slot promised for the callback the call just booked, if it booked one."""
    callback = (
        Callback.objects.filter(case_id=call.case_id, created_at__gte=call.logged_at)
        .order_by("-pk")
        .first()
    )
    if callback is not None:
        messages.info(
            request,
            _("Callback booked: tell the caller we call back on %(slot)s.")
            % {"slot": slot_words(callback.slot_start, callback.slot_minutes)},
        )
    return callback
