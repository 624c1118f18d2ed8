"""After the last callback without answer: the email to the caller, composed on the case.

The helpdesk's promise is to call back; when three tries found nobody, the caller
gets an email instead. It is written here with a suggested text and sent through
the case's own reply (``cases.views.mail.case_mail_reply``): on the case, threaded
under the caller's last mail, through the outgoing mail path.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import selectors_workspace
from cases.forms_replies import MailReplyForm
from cases.views.replies import reply_context
from scheduling.models.callbacks import Callback
from scheduling.templatetags.callbacks import phone_display


def suggested_text(callback: Callback) -> str:
    """The email's suggested text, in the helpdesk's language (what the caller reads)."""
    case = callback.case
    name = case.contact.name if case.contact else ""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Dear %(name)s,\n\n"
            "You asked the PSO helpdesk a question (%(subject)s, our reference %(reference)s). "
            "We tried to call you back %(attempts)d times on %(number)s, "
            "but could not reach you.\n\n"
            "Reply to this email with your question, or with a time at which we can call you; "
            "you can also call us yourself on Monday to Thursday between 08:30 and 12:30.\n\n"
            "Kind regards,\nThe PSO helpdesk"
        ) % {
            "name": name or _("Sir or Madam"),
            "subject": case.subject,
            "reference": case.reference,
            "attempts": callback.attempts,
            "number": phone_display(callback.number),
        }


def callback_email(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply form of the callback's case, filled in for the caller we could not reach."""
    callback = get_object_or_404(Callback.objects.select_related("case__contact"), pk=pk)
    case = callback.case
    form = MailReplyForm(
        initial={
            "to": case.contact.email if case.contact else "",
            "subject": f"Re: {case.subject}",
            "body": suggested_text(callback),
            "quote": False,
            "loaded_at": timezone.now(),
        }
    )
    latest = selectors_workspace.latest_received(case)
    return render(
        request,
        "scheduling/callback_email.html",
        {"callback": callback, "case": case, "form": form, **reply_context(case, latest)},
    )
