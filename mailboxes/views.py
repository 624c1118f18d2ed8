"""The mailboxes page (managers): the mailboxes, their state, edit, and "test connection"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mailboxes.forms import MailboxForm
from mailboxes.models import Mailbox
from mailboxes.polling import mailbox_check
from mailboxes.problems import MailboxError
from mailboxes.services import mailbox_configure
from staff.roles import manager_required

LIST = "mailbox_list"


@manager_required
@require_http_methods(["GET"])
def mailbox_list(request: HttpRequest) -> HttpResponse:
    return render(request, "mailboxes/mailbox_list.html", {"mailboxes": Mailbox.objects.all()})


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
    """Sign in and open the folders now (within the mailbox timeout); the result is shown."""
    mailbox = get_object_or_404(Mailbox, pk=pk)
    try:
        found = mailbox_check(mailbox=mailbox)
    except MailboxError as exc:
        messages.error(
            request,
            _("%(name)s: %(problem)s (%(detail)s)")
            % {"name": mailbox.name, "problem": exc.problem.label, "detail": exc.detail},
        )
    else:
        messages.success(request, f"{mailbox.name}: " + " ".join(found))
    return redirect(LIST)
