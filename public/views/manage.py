"""The pages behind the signed links in the confirmation mails.

A link that was changed, made up, is meant for something else or has expired
gets the same "this link does not work (any more)" page with 404, whatever
exists behind it, so links cannot be probed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from public import tokens
from public.forms import CancelForm, MoveForm
from public.selectors import public_pages
from public.services import callback_cancel_by_caller, callback_move_by_caller
from public.throttle import too_many_from_client
from public.views.common import public_page, refused, render_public
from public.views.slots import slot_days
from scheduling.callbacks.errors import CallbackError, SlotUnavailable
from scheduling.models import Callback, CallbackState


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render_public(request, "public/bad_link.html", {}, status=404)


def _callback(token: str) -> Callback | None:
    try:
        pk = tokens.link_pk(tokens.CALLBACK, token)
    except tokens.BadLink:
        return None
    return Callback.objects.select_related("case").filter(pk=pk).first()


@public_page
@require_http_methods(["GET", "HEAD"])
def question_status(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = tokens.link_pk(tokens.QUESTION, token)
    except tokens.BadLink:
        return _bad_link(request)
    case = Case.objects.filter(pk=pk).first()
    if case is None:
        return _bad_link(request)
    return render_public(request, "public/question_status.html", {"case": case})


def _manage_page(
    request: HttpRequest, callback: Callback, token: str, *, status: int = 200, **extra
) -> HttpResponse:
    days = []
    if callback.state == CallbackState.SCHEDULED:
        days = slot_days(
            now=timezone.now(),
            phone_days=public_pages().phone_days_ahead,
            exclude_pk=callback.pk,
        )
    context = {
        "callback": callback,
        "token": token,
        "days": days,
        "move_form": extra.pop("move_form", None) or MoveForm(),
        **extra,
    }
    return render_public(request, "public/callback_manage.html", context, status=status)


@public_page
@require_http_methods(["GET", "HEAD"])
def callback_manage(request: HttpRequest, token: str) -> HttpResponse:
    callback = _callback(token)
    if callback is None:
        return _bad_link(request)
    return _manage_page(request, callback, token)


@public_page
@require_POST
def callback_move(request: HttpRequest, token: str) -> HttpResponse:
    callback = _callback(token)
    if callback is None:
        return _bad_link(request)
    if too_many_from_client(request):
        return refused(request)
    days = slot_days(
        now=timezone.now(), phone_days=public_pages().phone_days_ahead, exclude_pk=callback.pk
    )
    form = MoveForm(request.POST, last_day=days[-1].day if days else None)
    if not form.is_valid():
        return _manage_page(request, callback, token, status=400, move_form=form)
    try:
        moved = callback_move_by_caller(callback=callback, slot=form.cleaned_data["slot"])
    except SlotUnavailable as exc:
        form.add_error("slot", exc.message)
        return _manage_page(request, callback, token, status=409, move_form=form)
    except CallbackError as exc:
        form.add_error(None, exc.message)
        callback.refresh_from_db()
        return _manage_page(request, callback, token, status=400, move_form=form)
    return _manage_page(request, moved, token, moved=True)


@public_page
@require_POST
def callback_cancel(request: HttpRequest, token: str) -> HttpResponse:
    callback = _callback(token)
    if callback is None:
        return _bad_link(request)
    if too_many_from_client(request):
        return refused(request)
    CancelForm(request.POST).is_valid()
    try:
        cancelled = callback_cancel_by_caller(callback=callback)
    except CallbackError as exc:
        callback.refresh_from_db()
        return _manage_page(request, callback, token, status=400, cancel_error=exc.message)
    return _manage_page(request, cancelled, token, cancelled=True)
