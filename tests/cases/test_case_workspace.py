"""The case page as a workspace: the latest timeline window, earlier windows on request,
the side panel's due time, linked cases, and automatic changes named for what made them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.intake.case_updates import case_customer_replied
from cases.models import CaseChange, ChangeCause, Priority, Status
from cases.timeline import TIMELINE_WINDOW, case_timeline_page
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    NoteFactory,
    StaffUserFactory,
    UrgentMailCaseFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

START = timezone.now() - dt.timedelta(days=30)


def notes_on(case, count, *, author=None, start=START):
    """``count`` notes one minute apart, numbered so a test can tell which it sees."""
    for i in range(count):
        NoteFactory(case=case, author=author, body=f"Aantekening {i:03d}")
        case.notes.filter(body=f"Aantekening {i:03d}").update(
            created_at=start + dt.timedelta(minutes=i)
        )


def shown_notes(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Aantekening (\d{3})", html)]


def test_the_case_page_shows_the_latest_window_oldest_first_with_a_way_to_earlier(
    staff_client, staff_user
):
    case = CaseFactory(actor=staff_user)
    notes_on(case, 70, author=staff_user)
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    shown = shown_notes(html)
    # The window counts moments; opening the case is one of them, long before the notes.
    assert shown == list(range(70 - TIMELINE_WINDOW, 70))
    assert "Show earlier entries" in html


def test_earlier_windows_reach_every_entry_exactly_once(staff_client, staff_user):
    case = CaseFactory(actor=staff_user)
    notes_on(case, 70, author=staff_user)
    seen: list[int] = []
    page = case_timeline_page(case)
    seen = [int(e.note.body[-3:]) for e in page.entries if e.kind == "note"]
    while page.earlier_before is not None:
        url = reverse("case_timeline_earlier", args=[case.reference])
        response = staff_client.get(
            url, {"before": page.earlier_before.isoformat()}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "<html" not in response.content.decode()  # htmx gets the entries alone
        seen = shown_notes(response.content.decode()) + seen
        page = case_timeline_page(case, before=page.earlier_before)
    assert seen == list(range(70))


def test_without_javascript_the_earlier_window_is_a_page_of_its_own(staff_client, staff_user):
    case = CaseFactory(actor=staff_user)
    notes_on(case, 40, author=staff_user)
    before = case_timeline_page(case).earlier_before
    response = staff_client.get(
        reverse("case_timeline_earlier", args=[case.reference]), {"before": before.isoformat()}
    )
    html = response.content.decode()
    assert "<html" in html and "Back to the case" in html
    assert max(shown_notes(html)) < 40 - TIMELINE_WINDOW + 1


@pytest.mark.parametrize("before", ["", "gisteren", "2026-13-45T10:00:00", "2026-12-01T25:00"])
def test_a_bad_window_start_is_refused_with_400(staff_client, staff_user, before):
    case = CaseFactory(actor=staff_user)
    response = staff_client.get(
        reverse("case_timeline_earlier", args=[case.reference]), {"before": before}
    )
    assert response.status_code == 400


def test_changes_at_one_moment_stay_together_across_a_window_edge(staff_user):
    case = CaseFactory(actor=staff_user)
    notes_on(case, TIMELINE_WINDOW, author=staff_user, start=START + dt.timedelta(hours=1))
    # One form, four fields: one moment, one entry, never split over two windows.
    services.case_update(
        case=case,
        actor=staff_user,
        at=START + dt.timedelta(minutes=30),
        status=Status.OPEN,
        priority=Priority.URGENT,
        assignee=staff_user,
    )
    first = case_timeline_page(case)
    earlier = case_timeline_page(case, before=first.earlier_before)
    grouped = [e for e in first.entries + earlier.entries if e.kind == "change"]
    assert [len(e.changes) for e in grouped] == [3]


def test_the_case_page_costs_the_same_queries_with_20_or_200_entries(
    client, staff_user, calendars_read_once
):
    client.force_login(staff_user)
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl", phone="+31612345678")
    small = CaseFactory(contact=jan, actor=staff_user)
    large = CaseFactory(contact=jan, actor=staff_user)

    def fill(case, count):
        notes_on(case, count // 2, author=staff_user)
        for i in range(count // 4):
            services.case_update(
                case=case,
                actor=staff_user,
                at=START + dt.timedelta(hours=i),
                priority=Priority.URGENT if i % 2 == 0 else Priority.NORMAL,
            )
            message = InboundMessageFactory(
                subject=f"Mail {case.pk}-{i}", received_at=START + dt.timedelta(hours=i)
            )
            message.case = case
            message.save(update_fields=["case"])

    fill(small, 20)
    fill(large, 200)

    def count(case):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("case_detail", args=[case.reference]))
        assert response.status_code == 200
        return len(queries)

    count(small)  # warm the per-process caches (calendars, targets)
    assert count(large) == count(small)


def test_an_automatic_change_is_named_for_what_made_it(staff_client, staff_user):
    case = UrgentMailCaseFactory(actor=staff_user)
    services.case_update(case=case, actor=staff_user, status=Status.WAITING)
    case_customer_replied(case=case, at=timezone.now())
    change = CaseChange.objects.get(case=case, field="status", new_value=Status.OPEN)
    assert change.cause == ChangeCause.CUSTOMER_MAIL
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "email from the customer" in html
    assert "account removed" not in html


def test_a_change_by_a_removed_account_still_says_so(staff_client):
    gone = StaffUserFactory(username="vertrokken")
    case = CaseFactory(actor=gone)
    services.case_update(case=case, actor=gone, priority=Priority.URGENT)
    gone.delete()
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "someone (account removed)" in html


def test_the_side_panel_shows_a_paused_clock_as_paused(staff_client, staff_user):
    case = UrgentMailCaseFactory(actor=staff_user)
    services.case_update(case=case, actor=staff_user, status=Status.WAITING)
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Paused since" in html
    assert "the clock stands still" in html


def test_the_side_panel_shows_the_time_left_in_words(staff_client, staff_user):
    case = UrgentMailCaseFactory(actor=staff_user)
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert re.search(r"\d+ h \d\d min left|\d+ min left|\d+ h \d\d min late|\d+ min late", html)


def test_linked_cases_are_the_contacts_other_open_cases_and_named_ones(staff_client, staff_user):
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl")
    case = CaseFactory(contact=jan, actor=staff_user, subject="Herbeoordeling")
    other = CaseFactory(contact=jan, actor=staff_user, subject="Factuur audit")
    closed = CaseFactory(contact=jan, actor=staff_user, subject="Oude vraag")
    services.case_update(case=closed, actor=staff_user, status=Status.CLOSED)
    named = CaseFactory(actor=staff_user, subject="Genoemd in een mail")
    message = InboundMessageFactory()
    message.case, message.related_case = case, named
    message.save(update_fields=["case", "related_case"])
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    linked = html[html.index('id="case-linked"') :]
    assert other.reference in linked and named.reference in linked
    assert closed.reference not in linked
