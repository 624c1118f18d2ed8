"""Staff pages for email: unprocessed mail, one received message, downloads, replying."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.intake.email import inbound_process
from cases.intake.html import safe_html
from cases.intake.outbound import mail_send, outbound_resend
from cases.intake.quoting import reply_quote
from cases.intake.recipients import UndeliverableAddress
from cases.models import (
    Case,
    InboundMessage,
    InboundStatus,
    MailAttachment,
    OutboundMessage,
    OutboundStatus,
)

MESSAGES_PER_PAGE = 50

#: Content types a browser may be told as is; a download of anything else is
#: announced as application/octet-stream, so nothing is ever rendered or run.
SAFE_DOWNLOAD_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "text/plain",
        "text/csv",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A response that can only be saved, never shown or run by the browser."""
    if content_type not in SAFE_DOWNLOAD_TYPES:
        content_type = "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Unprocessed mail ----------------------------------------------------------------------


@require_GET
def mail_unprocessed(request: HttpRequest) -> HttpResponse:
    """Mail that did not become part of a case: failed, set aside or still waiting."""
    waiting = (
        InboundMessage.objects.filter(
            status__in=[*InboundStatus.needs_staff(), InboundStatus.PROCESSING]
        )
        .select_related("related_case")
        .defer("raw", "html_body", "text_body")
        .order_by("-received_at", "-pk")
    )
    page = Paginator(waiting, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cases/mail_unprocessed.html", {"page": page})


@require_POST
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Process a kept message again (after a fix, or after a temporary failure).

    With ``open_case=1`` an automatic message that was set aside gets a case.
    """
    message = get_object_or_404(InboundMessage.objects.only("pk", "status"), pk=pk)
    if message.status == InboundStatus.PROCESSING:
        # A crashed earlier attempt: let it be claimed again.
        InboundMessage.objects.filter(pk=pk, status=InboundStatus.PROCESSING).update(
            status=InboundStatus.FAILED
        )
    message = inbound_process(message_pk=pk, open_case=request.POST.get("open_case") == "1")
    if message.status == InboundStatus.PROCESSED and message.case_id:
        messages.success(
            request,
            _("The message was processed: case %(reference)s.")
            % {"reference": message.case.reference},
        )
    else:
        messages.error(
            request,
            _("The message still could not be processed: %(error)s") % {"error": message.error},
        )
    return redirect("mail_unprocessed")


# --- One message -----------------------------------------------------------------------------


@require_GET
def mail_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A received message: headers, text, sanitised HTML, attachments.

    Remote images stay blocked unless the staff member asks for them with
    ``?images=1`` for this message (a tracking pixel tells the sender the mail
    was read, and from where).
    """
    message = get_object_or_404(
        InboundMessage.objects.defer("raw")
        .select_related("case", "related_case", "contact")
        .prefetch_related(
            Prefetch("attachments", queryset=MailAttachment.objects.defer("content"))
        ),
        pk=pk,
    )
    load_images = request.GET.get("images") == "1"
    html = safe_html(message.html_body, load_remote_images=load_images)
    response = render(
        request,
        "cases/mail_message.html",
        {"message": message, "html": html, "load_images": load_images},
    )
    if load_images:
        # Asked for, for this message only: its remote images may load (HTTPS only).
        response._csp_update = {"img-src": ["https:"]}  # type: ignore[attr-defined]
    return response


@require_GET
def mail_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(MailAttachment, pk=pk)
    return _download(bytes(attachment.content), attachment.filename, attachment.content_type)


@require_GET
def mail_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as received, as an .eml file."""
    message = get_object_or_404(InboundMessage.objects.only("pk", "raw"), pk=pk)
    return _download(bytes(message.raw), f"message-{message.pk}.eml", "message/rfc822")


# --- Replying --------------------------------------------------------------------------------


class MailReplyForm(forms.Form):
    to = forms.EmailField(label=gettext_lazy("To"), max_length=254)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    quote = forms.BooleanField(
        label=gettext_lazy("Include the previous message, quoted"), required=False, initial=True
    )

    def clean_to(self) -> str:
        to = self.cleaned_data["to"]
        if to.lower() in {a.lower() for a in settings.MAIL_HELPDESK_ADDRESSES}:
            raise forms.ValidationError(_("This is the helpdesk's own address."))
        return to


def _quoted(message: InboundMessage | None) -> str:
    if message is None:
        return ""
    return reply_quote(message.from_name or message.from_address, message.text_body)


@require_POST
def case_mail_reply(request: HttpRequest, reference: str) -> HttpResponse:
    """Send an email on the case; it threads under the latest message received."""
    case = get_object_or_404(Case.objects.select_related("contact"), reference=reference)
    form = MailReplyForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/mail_reply.html", {"case": case, "form": form}, status=400)
    latest = (
        InboundMessage.objects.filter(case=case)
        .defer("raw", "html_body")
        .order_by("-received_at", "-pk")
        .first()
    )
    body = form.cleaned_data["body"]
    if form.cleaned_data["quote"]:
        body += _quoted(latest)
    try:
        mail_send(
            case=case,
            to=form.cleaned_data["to"],
            subject=form.cleaned_data["subject"],
            body_text=body,
            automatic=False,
            in_reply_to=latest,
            actor=request.user,
        )
    except UndeliverableAddress as exc:
        form.add_error("to", exc.reason)
        return render(request, "cases/mail_reply.html", {"case": case, "form": form}, status=400)
    # Handed over after the commit; a failure shows on the case with a resend button.
    messages.success(request, _("Your email was sent."))
    return redirect("case_detail", reference=case.reference)


@require_POST
def mail_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a message that failed again, unchanged."""
    message = get_object_or_404(OutboundMessage.objects.select_related("case"), pk=pk)
    message = outbound_resend(message=message)
    if message.status == OutboundStatus.FAILED:
        messages.error(
            request,
            _("The email could not be sent: %(reason)s") % {"reason": message.status_detail},
        )
    else:
        messages.success(request, _("The email is being sent again."))
    return redirect("case_detail", reference=message.case.reference)
