"""The public pages: the start page, asking a question, booking a callback."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from public.forms import CallbackForm, QuestionForm
from public.selectors import public_pages
from public.services import TooManyBookings, callback_book, question_submit
from public.throttle import too_many_for_address, too_many_from_client
from public.views.common import page_closed, public_page, refused, render_public
from public.views.slots import slot_days
from scheduling.callbacks.errors import CallbackError, SlotUnavailable


@public_page
@require_http_methods(["GET", "HEAD"])
def start(request: HttpRequest) -> HttpResponse:
    return render_public(request, "public/start.html", {"pages": public_pages()})


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """Ask a question: a ``web`` case with its first-answer target, and a confirmation mail."""
    pages = public_pages()
    if not pages.question_open:
        return page_closed(request)
    if request.method != "POST":
        return render_public(request, "public/ask.html", {"form": QuestionForm(), "pages": pages})
    if too_many_from_client(request):
        return refused(request)
    form = QuestionForm(request.POST, request.FILES)
    valid = form.is_valid()
    if form.is_bot():
        form.fresh()
        return render_public(
            request, "public/ask.html", {"form": form, "pages": pages, "again": True}, status=400
        )
    if not valid:
        return render_public(request, "public/ask.html", {"form": form, "pages": pages}, 400)
    visitor = form.visitor()
    if too_many_for_address(request, [visitor.email, visitor.number]):
        return refused(request)
    case = question_submit(
        visitor=visitor,
        subject=form.cleaned_data["subject"],
        question=form.cleaned_data["question"],
        category=form.cleaned_data.get("category"),
        upload=form.cleaned_data.get("attachment"),
    )
    return render_public(request, "public/ask_done.html", {"case": case, "visitor": visitor})


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def callback(request: HttpRequest) -> HttpResponse:
    """Book a callback: a free slot of the coming phone days, or the first free time."""
    pages = public_pages()
    if not pages.callback_open:
        return page_closed(request)
    now = timezone.now()
    days = slot_days(now=now, phone_days=pages.phone_days_ahead)
    last_day = days[-1].day if days else None
    context = {"pages": pages, "days": days}
    if request.method != "POST":
        form = CallbackForm(last_day=last_day)
        return render_public(request, "public/callback.html", {**context, "form": form})
    if too_many_from_client(request):
        return refused(request)
    form = CallbackForm(request.POST, last_day=last_day)
    valid = form.is_valid()
    if form.is_bot():
        form.fresh()
        return render_public(
            request, "public/callback.html", {**context, "form": form, "again": True}, status=400
        )
    if not valid:
        return render_public(request, "public/callback.html", {**context, "form": form}, 400)
    visitor = form.visitor()
    if too_many_for_address(request, [visitor.email, visitor.number]):
        return refused(request)
    try:
        booked = callback_book(
            visitor=visitor,
            slot=form.cleaned_data["slot"],
            question=form.cleaned_data.get("question") or "",
            category=form.cleaned_data.get("category"),
            now=now,
        )
    except SlotUnavailable as exc:
        # Someone else took the last place first: the same form, the times still free.
        form.fresh()
        form.add_error("slot", exc.message)
        context["days"] = slot_days(now=now, phone_days=pages.phone_days_ahead)
        context["first_choice"] = exc.choices[0] if exc.choices else None
        return render_public(request, "public/callback.html", {**context, "form": form}, 409)
    except (TooManyBookings, CallbackError) as exc:
        form.fresh()
        form.add_error(None, exc.message)
        return render_public(request, "public/callback.html", {**context, "form": form}, 400)
    return render_public(
        request, "public/callback_done.html", {"callback": booked, "visitor": visitor}
    )
