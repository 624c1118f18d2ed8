"""The mailboxes page (managers): the mailboxes, their state, edit, and "test connection".

The connection test runs in the worker (a mail server may take up to the mailbox timeout
to answer, or not answer at all): the button asks for it, and the page shows the result
when the worker has recorded it, polling a small fragment every two seconds (htmx).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mailboxes.forms import MailboxForm
from mailboxes.models import Mailbox
from mailboxes.polling import mailbox_check_later
from mailboxes.services import mailbox_configure
from staff.roles import manager_required

LIST = "mailbox_list"


def _checks(mailboxes: list[Mailbox]) -> list[tuple[Mailbox, str]]:
    now = timezone.now()
    wait = dt.timedelta(seconds=settings.MAILBOX_CHECK_WAIT_SECONDS)
    return [(mailbox, mailbox.check_state(now=now, wait=wait)) for mailbox in mailboxes]


@manager_required
@require_http_methods(["GET"])
def mailbox_list(request: HttpRequest) -> HttpResponse:
    rows = _checks(list(Mailbox.objects.all()))
    return render(request, "mailboxes/mailbox_list.html", {"rows": rows})


@manager_required
@require_http_methods(["GET", "POST"])
def mailbox_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    mailbox = get_object_or_404(Mailbox, pk=pk) if pk is not None else Mailbox()
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        mailbox_configure(mailbox=form.instance)
        messages.success(request, _("Mailbox %(name)s saved.") % {"name": mailbox.name})
        return redirect(LIST)
    return render(request, "mailboxes/mailbox_form.html", {"form": form, "mailbox": mailbox})


@manager_required
@require_POST
def mailbox_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the connection test to the worker; the page shows its result when it comes."""
    mailbox = get_object_or_404(Mailbox, pk=pk)
    mailbox_check_later(mailbox=mailbox)
    if request.htmx:
        return _check_fragment(request, mailbox)
    messages.info(
        request,
        _("%(name)s: the connection is being tested; the result appears below.")
        % {"name": mailbox.name},
    )
    return redirect(LIST)


@manager_required
@require_http_methods(["GET"])
def mailbox_test_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The state of the last connection test (the fragment the page polls)."""
    return _check_fragment(request, get_object_or_404(Mailbox, pk=pk))


def _check_fragment(request: HttpRequest, mailbox: Mailbox) -> HttpResponse:
    [(mailbox, state)] = _checks([mailbox])
    return render(request, "mailboxes/_check.html", {"mailbox": mailbox, "state": state})
