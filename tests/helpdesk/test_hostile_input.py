"""No page answers 500 to hostile input: far dates, NUL bytes, huge numbers, wrong types.

Every URL of the project that a signed-in manager can open with GET is requested
with hostile values in every query parameter the pages read. Bad input gets a
clear answer (the page with a message, 400 or 404), never a server error.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import MailAttachment, OutboundMessage
from tests.factories import (
    CallbackFactory,
    CaseFactory,
    InboundMessageFactory,
    NoteFactory,
    OrganisationFactory,
)

#: Query parameters the staff pages read (filters, periods, days, paging, search).
PARAMETERS = [
    "q",
    "page",
    "day",
    "date",
    "period",
    "start",
    "end",
    "month",
    "calendar",
    "status",
    "channel",
    "category",
    "priority",
    "assignee",
    "organisation",
    "contact",
    "case",
    "pso_level",
    "pso_level_now",
    "pso_level_at_open",
    "sort",
    "images",
    "print",
    "number",
]

HOSTILE = [
    "9999-12-31",
    "0001-01-01",
    "2026-13-45",
    "\x00",
    "9" * 400,
    "-1",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]
#: The parameters read as dates or numbers: each is also tried alone, so one read
#: first (and refused) cannot hide a failure of one read later.
PARSED = ["day", "date", "start", "end", "month", "page"]
#: Bytes no form can send as text: invalid UTF-8 and a NUL, percent-encoded.
RAW_QUERY = "&".join(f"{name}=%ED%A0%80%00%FF" for name in PARAMETERS)

#: URL paths that are not pages for people (webhooks answer mail services).
SKIP_PREFIXES = ("anymail/", "admin/", "i18n/", "cti/")


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(_patterns(entry, route))
        else:
            found.append((route, entry))
    return found


def _paths(reference: str, pks: dict[str, int]) -> list[str]:
    """Every page, with a real case reference, and each real primary key where one is asked."""
    paths = []
    for route, _pattern in _patterns(get_resolver()):
        route = route.lstrip("^").rstrip("$")
        if route.startswith(SKIP_PREFIXES):
            continue
        route = route.replace("<str:reference>", reference)
        for start, pk in pks.items():
            if route.startswith(start):
                route = route.replace("<int:pk>", str(pk))
                break
        if "<" not in route:
            paths.append(route)
    return sorted({"/" + path for path in paths})


@pytest.fixture
def objects(db, manager_user) -> tuple[str, dict[str, int]]:
    """One of each thing a page shows: organisation, case with a note, mail, a callback."""
    organisation = OrganisationFactory()
    case = CaseFactory(organisation=organisation)
    NoteFactory(case=case, author=manager_user)
    inbound = InboundMessageFactory(case=case)
    attachment = MailAttachment.objects.create(
        message=inbound, filename="a.pdf", content_type="application/pdf", size=1, content=b"x"
    )
    outbound = OutboundMessage.objects.create(
        case=case,
        message_id="hostile@pso.example",
        from_address="info@pso-nederland.nl",
        to="jan@almelo.nl",
        subject="Antwoord",
        body_text="Hallo",
        created_at=case.created_at,
    )
    callback = CallbackFactory()
    # The primary key each kind of page asks for, by the start of its path.
    pks = {
        "organisations/": organisation.pk,
        "mail/attachments/": attachment.pk,
        "mail/sent/": outbound.pk,
        "mail/": inbound.pk,
        "callbacks/": callback.pk,
        "staff/": manager_user.pk,
    }
    return case.reference, pks


def _server_errors(client, paths: list[str], query: dict[str, str] | str) -> list[tuple]:
    client.raise_request_exception = False
    errors = []
    for path in paths:
        if isinstance(query, str):
            response = client.get(f"{path}?{query}")
        else:
            response = client.get(path, query)
        if response.status_code >= 500:
            errors.append((path, query, response.status_code))
    return errors


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_every_page_survives_a_hostile_value_in_every_parameter(manager_client, objects, value):
    query = dict.fromkeys(PARAMETERS, value)
    assert _server_errors(manager_client, _paths(*objects), query) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", PARSED)
def test_every_page_survives_a_far_date_in_one_parameter(manager_client, objects, name):
    # One at a time too, so a parameter read first cannot hide one read later.
    assert _server_errors(manager_client, _paths(*objects), {name: "9999-12-31"}) == []


@pytest.mark.django_db
def test_every_page_survives_bytes_that_are_not_text(manager_client, objects):
    assert _server_errors(manager_client, _paths(*objects), RAW_QUERY) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/cases/" + "9" * 2000 + "/",
        "/organisations/99999999999999999999/",
        "/callbacks/99999999999999999999/",
        "/mail/99999999999999999999/",
    ],
)
def test_a_hostile_path_is_not_found_not_a_server_error(manager_client, path):
    manager_client.raise_request_exception = False
    assert manager_client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/cases/PSO-2026-00302%00/", "/cases/PSO-2026-00302\x00/", "/cases/?q=a%00b"]
)
def test_a_nul_in_the_address_is_refused_with_a_page_that_says_so(manager_client, address):
    manager_client.raise_request_exception = False
    response = manager_client.get(address)
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode() or "Er is niets" in (
        response.content.decode()
    )
