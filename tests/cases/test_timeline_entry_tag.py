"""Timeline entries drawn in Python (``{% timeline_entry %}``) are the HTML that
``_timeline_entry.html`` draws, in English and in Dutch; mail and merges still come
from the template."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import get_template
from django.test.html import parse_html
from django.utils import timezone, translation

from cases import services
from cases.models import CallDirection, CallOutcome, Priority, Status
from cases.templatetags.timeline_entries import drawn_in_python, entry_html
from cases.timeline import case_timeline
from tests.factories import CaseFactory, NoteFactory, PhoneCallFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(staff_user):
    case = CaseFactory(subject="Vraag")
    start = timezone.now() - dt.timedelta(days=3)
    PhoneCallFactory(
        case=case, actor=staff_user, started_at=start, notes="Eerst <b>dit</b>\nen dat"
    )
    PhoneCallFactory(
        case=case,
        actor=None,
        number="",
        started_at=start + dt.timedelta(hours=20),
        duration=dt.timedelta(minutes=7),
        outcome=CallOutcome.NO_ANSWER,
        direction=CallDirection.OUTBOUND,
    )
    NoteFactory(case=case, author=staff_user, body="Let op: <script>x</script>\n\nTweede regel")
    services.case_update(
        case=case,
        actor=staff_user,
        status=Status.WAITING,
        priority=Priority.URGENT,
        category=category("sroi"),
        assignee=staff_user,
    )
    entries = case_timeline(case)
    assert {e.kind for e in entries} >= {"call", "note", "change"}
    return entries


@pytest.mark.parametrize("language", ["en", "nl"])
def test_calls_notes_and_changes_are_drawn_as_the_template_draws_them(entries, language):
    template = get_template("cases/_timeline_entry.html")
    with translation.override(language):
        for entry in entries:
            assert drawn_in_python(entry)
            assert parse_html(entry_html(entry)) == parse_html(template.render({"entry": entry})), (
                entry.kind
            )


def test_the_case_page_shows_the_entries(staff_client, entries):
    case = entries[0].call.case
    html = staff_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Eerst &lt;b&gt;dit&lt;/b&gt;<br>en dat" in html
    assert "&lt;script&gt;" in html and "<script>x" not in html
    assert html.count('<li class="timeline-call">') == 2
