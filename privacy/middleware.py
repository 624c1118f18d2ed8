"""Recording page views of personal data in the access log, after the page is served.

The pages belong to the apps below (cases, scheduling), which know nothing of
privacy; this table says which of their pages show or hand out personal data.
Only successful GETs by signed-in users are recorded: a 404 or a refused page
showed nothing. One INSERT per view, nothing read: the user is already loaded
for the sign-in check, and the object is named by the URL's own arguments.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from privacy.models import AccessKind
from privacy.services import access_record
from staff.client_ip import client_ip

#: URL name → (what it is, the URL argument naming the object or None). The helpdesk
#: has no contact page of its own: a contact is seen on its cases, or in the administration.
LOGGED_PAGES: dict[str, tuple[str, str | None]] = {
    "case_detail": (AccessKind.CASE, "reference"),
    "admin:cases_case_change": (AccessKind.CASE, "object_id"),
    "admin:cases_contact_change": (AccessKind.CONTACT, "object_id"),
    "admin:cases_organisation_change": (AccessKind.ORGANISATION, "object_id"),
    "admin:cases_inboundmessage_change": (AccessKind.MAIL, "object_id"),
    "admin:cases_outboundmessage_change": (AccessKind.MAIL, "object_id"),
    "organisation_detail": (AccessKind.ORGANISATION, "pk"),
    "mail_message": (AccessKind.MAIL, "pk"),
    "mail_raw": (AccessKind.ORIGINAL, "pk"),
    "mail_attachment": (AccessKind.ATTACHMENT, "pk"),
    "report_cases_csv": (AccessKind.CSV, None),
    "report_table_csv": (AccessKind.CSV, None),
}


class AccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is None
            or match.view_name not in LOGGED_PAGES
            or request.method != "GET"
            or response.status_code != 200
            or not request.user.is_authenticated
        ):
            return response
        kind, argument = LOGGED_PAGES[match.view_name]
        value = str(match.kwargs.get(argument, "")) if argument else ""
        access_record(
            user=request.user,
            kind=kind,
            ip=client_ip(request),
            path=request.path,
            case_reference=value if argument == "reference" else "",
            object_id=int(value) if argument != "reference" and value.isdigit() else None,
        )
        return response
