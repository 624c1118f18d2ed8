"""Logging a call in a real browser, from the keyboard, as the helpdesk does it while talking.

Runs headless Chromium from /usr/bin/chromium (scripts/test installs it). A
missing browser fails the test: it is never skipped.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from cases.models import Case, Contact, Organisation, PhoneCall, PhoneNumber
from cases.models.organisations import OrganisationKind, PsoLevel
from cases.phones import normalise
from cases.services import pso_status_record
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    # The live server starts before the per-test settings; it serves static files
    # from the app folders itself, so whitenoise finding no collected files is moot.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    # The live server needs committed data; serialized_rollback brings back the
    # role groups and categories the migrations made, whatever ran before.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the
    # test itself are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # An English browser: the pages speak the source language of the strings.
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(10_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            # The ORM calls made while Playwright runs use a connection of their own
            # (its event loop gives them another context), which the test database's
            # teardown would not close: PostgreSQL then refuses to drop the database.
            connections.close_all()


@pytest.fixture
def almelo_caller():
    almelo = Organisation.objects.create(
        name="Gemeente Almelo", kvk_number="08180538", kind=OrganisationKind.MUNICIPALITY
    )
    pso_status_record(
        organisation=almelo,
        level=PsoLevel.TREDE_3,
        effective_from=dt.date(2024, 3, 1),
        reference="PSO-T3-1187",
    )
    anouk = Contact.objects.create(
        name="Anouk Bakker", email="a.bakker@almelo.nl", organisation=almelo
    )
    PhoneNumber.objects.create(number=normalise("0546 541 234"), contact=anouk)
    return anouk


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_staff_log_a_call_from_the_keyboard_and_see_it_on_the_new_case(
    page, live_server, staff_user, almelo_caller
):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log a call").click()
    search = page.get_by_role("searchbox", name=re.compile("Phone number, name"))
    expect(search).to_be_focused()
    # Another notation than the stored one, typed key by key as the caller says it.
    search.press_sequentially("0546-541234", delay=30)
    result = page.locator("#caller-results").get_by_role("link", name=re.compile("Anouk Bakker"))
    expect(result).to_be_visible()
    expect(result).to_contain_text("Gemeente Almelo")

    search.press("ArrowDown")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")

    caller = page.get_by_role("region", name="Caller")
    expect(caller).to_contain_text("Anouk Bakker")
    expect(caller).to_contain_text("Trede 3")
    expect(page.get_by_label("Open a new case")).to_be_checked()
    page.get_by_label("Subject").fill("Herbeoordeling Trede 3 aanvragen")
    page.get_by_label("What was asked and answered").fill(
        "Wil weten welke stukken nodig zijn voor de herbeoordeling."
    )
    page.get_by_label("Duration (minutes)").fill("6")
    page.get_by_role("button", name="Save call").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Herbeoordeling Trede 3 aanvragen")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Wil weten welke stukken nodig zijn voor de herbeoordeling.")
    expect(timeline).to_contain_text("6 minutes")
    who = page.get_by_role("region", name="Organisation and contact")
    expect(who).to_contain_text("Gemeente Almelo")
    expect(who).to_contain_text("Anouk Bakker")
    expect(who).to_contain_text("Trede 3")

    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.reference}/")
    assert (case.contact, case.organisation) == (almelo_caller, almelo_caller.organisation)
    assert case.pso_level_at_open == PsoLevel.TREDE_3
    call = PhoneCall.objects.get(case=case)
    assert call.number == "+31546541234"
    assert call.duration == dt.timedelta(minutes=6)
    assert call.logged_by == staff_user
