"""Query budgets: every staff page costs the same number of queries however much data it shows.

Each page is loaded once with a little data and again after every kind of row it
shows has grown several times over (organisations with PSO histories, contacts with
numbers, cases with timelines, callbacks, unprocessed mail). A page that starts
asking the database once per row (an N+1) fails here, whatever the machine.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, Channel, InboundStatus, PsoLevel
from tests.factories import (
    CallbackFactory,
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    NoteFactory,
    OrganisationFactory,
    PhoneCallFactory,
    PsoStatusFactory,
    category,
)
from tests.timehelpers import local

pytestmark = pytest.mark.django_db

#: The staff pages of the helpdesk with the filters they offer; ``{org}``, ``{kvk}`` and
#: ``{case}`` are filled in with rows of the data.
PAGES = [
    "/",
    "/cases/",
    "/cases/?status=active",
    "/cases/?channel=email",
    "/cases/?category={category}",
    "/cases/?priority=urgent",
    "/cases/?assignee=me",
    "/cases/?organisation={org}",
    "/cases/?pso_at_open=trede_2",
    "/cases/?pso_now=trede_2",
    "/cases/?pso_now=none",
    "/cases/?q=jansen",
    "/cases/?sort=due",
    "/cases/{case}/",
    "/calls/new/",
    "/calls/new/?contact={contact}",
    "/calls/search/?q=54690",
    "/calls/search/?q=jansen",
    "/calls/search/?q={kvk}",
    "/callbacks/",
    "/organisations/",
    "/organisations/?level=trede_2",
    "/organisations/?q=jansen",
    "/organisations/{org}/",
    "/mail/unprocessed/",
    "/sla/at-risk/",
    # The header search: a word, a phone number, a whole reference.
    "/search/?q=jansen",
    "/search/?q=020+1000001",
    "/search/?q={case}",
    # Its drop-down while typing, as htmx asks for it.
    "/search/suggest/?q=jansen",
    "/search/suggest/?q=020+1000001",
    # The case page's earlier timeline entries, as htmx asks for them and as a page.
    "/cases/{case}/timeline/?before={before}",
    "/callbacks/?page=2",
]
HTMX = {"/calls/search/", "/search/suggest/"}


@pytest.fixture
def thursday(time_machine, monkeypatch):
    time_machine.move_to(local(2026, 11, 26, 13, 0), tick=False)
    # The calendars are re-read every ten seconds of the process's clock: one query
    # that would come and go with the speed of the machine, not with the data.
    monkeypatch.setattr("calendars.configured.CACHE_SECONDS", 1e9)


def grow(n: int, *, staff_user, first: Case | None = None) -> Case:
    """``n`` more of every row the pages show; returns the case whose page is loaded."""
    sroi = category("sroi")
    for i in range(n):
        org = OrganisationFactory(
            name=f"Bouw Jansen {i}", kvk_number="", phone=f"+3120{len(str(i))}{i:06d}"
        )
        PsoStatusFactory(
            organisation=org,
            level=PsoLevel.ASPIRANT,
            effective_from=timezone.localdate() - dt.timedelta(days=800),
            valid_until=timezone.localdate() - dt.timedelta(days=70),
        )
        PsoStatusFactory(organisation=org, level=PsoLevel.TREDE_2)
        contact = ContactFactory(name=f"Els Jansen {i}", organisation=org)
        for channel in (Channel.PHONE, Channel.EMAIL):
            case = CaseFactory(
                organisation=org,
                contact=contact,
                channel=channel,
                category=sroi,
                assignee=staff_user,
                priority="urgent" if i % 2 else "normal",
            )
            # Booked on Wednesday afternoon: due this Thursday morning, so in today's queue.
            CallbackFactory(case=case, now=local(2026, 11, 25, 13))
        InboundMessageFactory(
            subject=f"Onleesbaar {org.pk}",
            status=InboundStatus.FAILED,
            error="Could not be parsed.",
        )
    first = first or Case.objects.order_by("pk").first()
    for _ in range(n):
        NoteFactory(case=first, author=staff_user)
        PhoneCallFactory(case=first, actor=staff_user)
    return first


def count(client, url: str) -> int:
    htmx = any(url.startswith(p) for p in HTMX) or "/timeline/" in url
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def test_every_staff_page_costs_the_same_queries_with_more_data(thursday, staff_client, staff_user):
    case = grow(2, staff_user=staff_user)
    org = case.organisation
    values = {
        "org": org.pk,
        "kvk": "12345678",
        "case": case.reference,
        "contact": case.contact_id,
        "category": category("sroi").pk,
        # Later than every entry: the earlier page holds the whole (growing) timeline.
        "before": "2030-01-01T00:00:00%2B01:00",
    }
    urls = [page.format(**values) for page in PAGES]
    for url in urls:
        count(staff_client, url)  # the per-process caches (calendars, roles) fill here
    few = {url: count(staff_client, url) for url in urls}

    grow(6, staff_user=staff_user, first=case)
    more = {url: count(staff_client, url) for url in urls}

    assert Case.objects.count() == 16
    grown = {url: (few[url], more[url]) for url in urls if few[url] != more[url]}
    assert not grown, f"queries grew with the data (before, after): {grown}"
