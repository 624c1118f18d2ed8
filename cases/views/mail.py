"""Staff pages for email: unprocessed mail, one received message, downloads, replying."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.intake.email import inbound_process
from cases.intake.html import safe_html
from cases.intake.outbound import outbound_resend
from cases.models import (
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
