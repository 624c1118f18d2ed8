"""The access log for managers: search by user, case or person, and export as CSV.

Read-only: there is no page, form or admin action that changes or deletes an entry.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.digest import person_digest
from privacy.forms import AccessLogFilterForm
from privacy.models import AccessEntry, AccessKind
from privacy.selectors import access_entries, identifier_from, person_find
from privacy.services import access_record
from scheduling.reports.export import csv_format, csv_lines
from staff.client_ip import client_ip
from staff.roles import manager_required

PAGE_SIZE = 50


def _filtered(request: HttpRequest):
    form = AccessLogFilterForm(request.GET or None)
    if not form.is_valid():
        return form, AccessEntry.objects.none()
    data = form.cleaned_data
    person = digests = None
    if data.get("person"):
        person = person_find(data["person"])
        digests = tuple(
            [person_digest("email", e) for e in person.emails]
            + [person_digest("phone", n) for n in person.numbers]
        )
        access_record(
            user=request.user,
            kind=AccessKind.PERSON_SEARCH,
            ip=client_ip(request),
            path=request.path,
            person_digest=person_digest(*identifier_from(data["person"])),
        )
    entries = access_entries(
        user=data.get("user", ""),
        case=data.get("case", ""),
        person=person,
        person_digests=digests or (),
    )
    return form, entries


@manager_required
@require_http_methods(["GET"])
def access_log(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/access_log.html", {"form": form, "page": page})


def access_log_header() -> list[str]:
    """The export's column names, in the reader's language."""
    return [
        _("when"),
        _("user"),
        _("IP address"),
        _("what"),
        _("case"),
        _("object"),
        _("page"),
    ]


@manager_required
@require_http_methods(["GET"])
def access_log_csv(request: HttpRequest) -> HttpResponse:
    """The log as a spreadsheet reads it, as every export of the helpdesk: in the reader's
    language, ``;`` and a BOM for Dutch Excel (or ``?format=``), formulas neutralised."""
    _form, entries = _filtered(request)
    access_record(
        user=request.user, kind=AccessKind.ACCESS_LOG, ip=client_ip(request), path=request.path
    )
    fmt = csv_format(get_language() or "nl", request.GET.get("format", ""))
    labels = dict(AccessKind.choices)
    tz = timezone.get_default_timezone()
    rows = (
        [
            # To the second: the log says exactly when.
            entry.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            entry.username,
            entry.ip or "",
            str(labels.get(entry.kind, entry.kind)),
            entry.case_reference,
            entry.object_id or "",
            entry.path,
        ]
        for entry in entries.iterator(chunk_size=2000)
    )
    lines = csv_lines(access_log_header(), rows, tz, fmt)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"toegangslog-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
