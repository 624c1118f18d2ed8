"""Staff download a file sent with a question from the web, as they do mail attachments."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from cases.views.mail import _download
from public.models import WebAttachment


@require_GET
def web_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Only ever saved, never shown or run by the browser (the mail attachments' rule)."""
    attachment = get_object_or_404(WebAttachment, pk=pk)
    return _download(bytes(attachment.content), attachment.filename, attachment.content_type)
