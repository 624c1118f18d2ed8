"""The log-a-call form from the keyboard alone, for a caller nobody knows yet: the number
typed in the search travels into the form without Enter, a failed save puts focus on the
first field in error and says so to screen readers (the search stays as typed), the call
time is one field with "now" in it, and the callback time shows only when a callback is
asked for. The caller search tells screen readers the real number of results."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, PhoneNumber
from tests.browser.axe import axe_violations
from tests.browser.harness import chromium_page, sign_in
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # bypass_csp: axe-core is injected as a script, which the page's own policy refuses.
    with chromium_page(bypass_csp=True) as page:
        yield page


def tab_to(page, locator, *, limit=40):
    """Press Tab until ``locator`` has focus; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"not reached in {limit} Tabs")


def test_a_new_callers_number_travels_and_a_failed_save_focuses_the_error(
    page, live_server, staff_user
):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.keyboard.press("Alt+n")
    search = page.get_by_role("searchbox", name=re.compile("Phone number"))
    expect(search).to_be_focused()
    page.keyboard.type("06 4321 8765", delay=20)
    expect(page.locator("#caller-results")).to_contain_text("Nobody found")

    number = page.locator("#id_number")
    expect(number).to_have_value("06 4321 8765")
    started = page.locator("#id_started_at")
    expect(started).to_have_attribute("type", "text")
    expect(started).to_have_value(re.compile(r"^\d\d-\d\d-\d{4} \d\d:\d\d$"))
    expect(page.locator("#id_callback_at")).to_be_hidden()

    # Straight to the caller's name and save: the subject of the new case is missing.
    tab_to(page, page.locator("#id_caller_name"))
    page.keyboard.type("Pieter Post", delay=10)
    page.keyboard.press("Control+Enter")

    subject = page.locator("#id_subject")
    expect(subject).to_be_focused()
    expect(subject).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-status")).to_contain_text("Subject")
    expect(search).to_have_value("06 4321 8765")
    expect(number).to_have_value("06 4321 8765")
    expect(page.locator("#id_caller_name")).to_have_value("Pieter Post")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == []

    page.keyboard.type("Vraag over Aspirant", delay=10)
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vraag over Aspirant")
    case = Case.objects.get(subject="Vraag over Aspirant")
    assert case.contact.name == "Pieter Post"
    assert PhoneNumber.objects.filter(contact=case.contact, number="+31643218765").exists()


def test_the_callback_time_shows_once_a_callback_is_asked_for(page, live_server, staff_user):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.goto(f"{live_server.url}/calls/new/")
    callback_at = page.locator("#id_callback_at")
    expect(callback_at).to_be_hidden()
    tab_to(page, page.locator("#id_callback_requested"))
    page.keyboard.press("Space")
    expect(callback_at).to_be_visible()
    page.keyboard.press("Tab")
    expect(callback_at).to_be_focused()
    page.keyboard.type("10:00")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    # Unticked with a time typed: the field stays, so nothing typed is hidden away.
    expect(callback_at).to_be_visible()


def test_screen_readers_hear_the_real_number_of_results(page, live_server, staff_user):
    almelo = OrganisationFactory(name="Gemeente Almelo")
    ContactFactory(name="Anouk Bakker", organisation=almelo, phone="+31546541234")
    ContactFactory(name="Bram Bakker", organisation=almelo, phone="+31546541299")
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.keyboard.press("Alt+n")
    expect(page.get_by_role("searchbox", name=re.compile("Phone number"))).to_be_focused()
    page.keyboard.type("Bakker", delay=20)
    region = page.locator("#caller-results")
    expect(region.get_by_role("link")).to_have_count(2)
    expect(region).to_contain_text("2 results")
    expect(region).not_to_contain_text("0 results")
