"""Replying to the customer from the case page: copies, files, canned answers, and a
confirmation when mail arrived on the case while the reply was being written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import replies, selectors_workspace
from cases.forms_replies import MailReplyForm
from cases.intake.outbound import AttachmentFile, AttachmentsTooLarge, mail_send
from cases.intake.quoting import reply_quote
from cases.intake.recipients import UndeliverableAddress
from cases.models import Case, InboundMessage


def reply_form_for(
    case: Case, user: AbstractBaseUser, latest: InboundMessage | None
) -> MailReplyForm:
    """An empty reply: to the contact, "Re:" the subject, the writer's signature below."""
    language = replies.reply_language(latest)
    signature = replies.signature_of(user, language)
    return MailReplyForm(
        initial={
            "to": case.contact.email if case.contact is not None else "",
            "subject": f"Re: {case.subject}",
            "body": f"\n\n-- \n{signature}\n" if signature else "",
            "quote": True,
            "loaded_at": timezone.now(),
        }
    )


def reply_context(case: Case, latest: InboundMessage | None) -> dict[str, Any]:
    """What the reply box needs besides its form: the canned answers and the quote."""
    language = replies.reply_language(latest)
    return {
        "canned_answers": replies.canned_answers_for(case, language, timezone.now()),
        "latest_received": latest,
    }


def _again(
    request: HttpRequest, case: Case, form: MailReplyForm, arrived: list | None = None
) -> HttpResponse:
    latest = selectors_workspace.latest_received(case)
    context = {"case": case, "form": form, "arrived": arrived, **reply_context(case, latest)}
    return render(request, "cases/mail_reply.html", context, status=409 if arrived else 400)


@require_POST
def case_mail_reply(request: HttpRequest, reference: str) -> HttpResponse:
    """Send an email on the case; it threads under the latest message received.

    When a customer mail or a colleague's reply arrived after the page was drawn,
    nothing is sent yet: the page shows what arrived and asks to send anyway.
    """
    case = get_object_or_404(Case.objects.select_related("contact"), reference=reference)
    form = MailReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, case, form)
    data = form.cleaned_data
    arrived = selectors_workspace.mail_since(case, data["loaded_at"], user=request.user)
    if arrived and not data["confirmed"]:
        again = form.data.copy()
        again["confirmed"] = "1"
        again["loaded_at"] = timezone.now().isoformat()
        return _again(request, case, MailReplyForm(again), arrived)
    latest = selectors_workspace.latest_received(case)
    body = data["body"]
    if data["quote"] and latest is not None:
        body += reply_quote(latest.from_name or latest.from_address, latest.text_body)
    files = [
        AttachmentFile(f.name, f.read(), f.content_type or "application/octet-stream")
        for f in data["attachments"]
    ]
    try:
        mail_send(
            case=case,
            to=data["to"],
            cc=data["cc"],
            bcc=data["bcc"],
            subject=data["subject"],
            body_text=body,
            automatic=False,
            in_reply_to=latest,
            actor=request.user,
            attachments=files,
        )
    except UndeliverableAddress as exc:
        form.add_error("to", exc.reason)
        return _again(request, case, form)
    except AttachmentsTooLarge:
        form.add_error("attachments", _("The files together are too large to send."))
        return _again(request, case, form)
    # Handed over after the commit; a failure shows on the case with a resend button.
    messages.success(request, _("Your email was sent."))
    return redirect("case_detail", reference=case.reference)
