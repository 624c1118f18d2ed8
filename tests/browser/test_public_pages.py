"""The public pages in a real browser: booking from the keyboard, the link from the mail,
two people after the last place, a scripted flood, and axe-core on every page.

Runs headless Chromium from /usr/bin/chromium, like the other browser tests; a missing
browser (or axe-core, which scripts/test installs) fails the test: it is never skipped.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection, connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cases.models import Case, Channel
from public import tokens
from public.services import Visitor, callback_book
from scheduling.models import Callback, CallbackState, CallbackWeekdayCapacity
from tests.browser.axe import axe_violations
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS
from tests.timehelpers import local

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch, settings, time_machine):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PUBLIC_MIN_FILL_SECONDS = 0
    # Thursday afternoon: phone hours are over until Monday 08:30. The clock runs on.
    time_machine.move_to(local(2026, 11, 26, 13, 0), tick=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
            connections.close_all()


def new_page(browser: Browser, locale: str = "en-GB", **options) -> Page:
    context = browser.new_context(locale=locale, **options)
    context.set_default_timeout(10_000)
    return context.new_page()


def tab_to(page: Page, label: str, limit: int = 60) -> None:
    """Press Tab until the field labelled ``label`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return (el && el.labels && el.labels[0]) ? el.labels[0].innerText : ''; }"
        )
        if focused.strip().startswith(label):
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_booking_from_the_keyboard_seen_in_the_queue_moved_and_cancelled_from_the_mail(
    browser, live_server, staff_user
):
    page = new_page(browser)
    page.goto(f"{live_server.url}/hulp/terugbellen/")

    tab_to(page, "Your name")
    page.keyboard.type("Anouk Bakker")
    tab_to(page, "Phone number to call back")
    page.keyboard.type("0546 541 234")
    tab_to(page, "Email address")
    page.keyboard.type("a.bakker@example.nl")
    tab_to(page, "The first free time")
    # The times are one group of radio buttons: the arrow keys go from time to time.
    page.keyboard.press("ArrowDown")  # Monday 08:30
    page.keyboard.press("ArrowDown")  # Monday 08:45
    expect(page.locator("input[name=slot]:checked")).to_have_accessible_name(
        re.compile("Monday 30 November.*08:45 to 09:00")
    )
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Book the callback")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your callback is booked")
    expect(page.get_by_role("status")).to_contain_text("Monday 30 November between 08:45 and 09:00")
    callback = Callback.objects.select_related("case").get()
    assert callback.case.channel == Channel.WEB

    staff = new_page(browser)
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.get_by_label("Username").fill("sanne")
    staff.get_by_label("Password").fill("sanne-pass-123")
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(f"{live_server.url}/callbacks/?day=2026-11-30")
    row = staff.locator(f"#callback-{callback.pk}")
    expect(row).to_contain_text(callback.case.reference)
    expect(row).to_contain_text("Booked on the website")
    expect(row).to_contain_text("08:45")

    [confirmation] = mail.outbox
    link = re.search(r"http\S+/hulp/terugbellen/\S+/", confirmation.body).group(0)
    path = "/hulp/" + link.split("/hulp/", 1)[1]
    page.goto(f"{live_server.url}{path}")
    expect(page.locator(".promise")).to_have_text("Monday 30 November between 08:45 and 09:00")
    page.get_by_label(re.compile("Tuesday 1 December.*10:00 to 10:15")).check()
    page.get_by_role("button", name="Move the callback").click()
    expect(page.get_by_role("status")).to_contain_text("Your callback has been moved.")
    expect(page.locator(".promise")).to_have_text("Tuesday 1 December between 10:00 and 10:15")
    callback.refresh_from_db()
    assert callback.slot_start == local(2026, 12, 1, 10, 0)
    assert "Tuesday 1 December between 10:00 and 10:15" in mail.outbox[-1].subject

    page.get_by_role("button", name="Cancel the callback").click()
    expect(page.get_by_role("status")).to_contain_text("Your callback has been cancelled.")
    callback.refresh_from_db()
    assert callback.state == CallbackState.CANCELLED
    staff.goto(f"{live_server.url}/callbacks/?day=2026-12-01")
    expect(staff.locator(f"#callback-{callback.pk}")).to_have_count(0)


def _fill_callback(page: Page, phone: str) -> None:
    page.get_by_label("Your name").fill("Beller")
    page.get_by_label("Phone number to call back").fill(phone)


def test_two_browsers_after_the_last_place_one_gets_it_the_other_the_next(browser, live_server):
    CallbackWeekdayCapacity.objects.update_or_create(weekday=0, defaults={"capacity": 1})
    first, second = new_page(browser), new_page(browser)
    for page, phone in ((first, "0546 541 234"), (second, "0546 541 235")):
        page.goto(f"{live_server.url}/hulp/terugbellen/")
        _fill_callback(page, phone)
        page.get_by_label(re.compile("Monday 30 November.*08:30 to 08:45")).check()

    # Both pages show the last place as free. On PostgreSQL both posts are in flight at
    # once and the phone day's row lock makes one wait; the test database of SQLite (one
    # shared in-memory database) cannot take two writers at once, so there the second
    # post follows the first.
    concurrent = connection.vendor == "postgresql"
    first.get_by_role("button", name="Book the callback").click(no_wait_after=concurrent)
    if not concurrent:
        expect(first.locator("h1")).to_have_text("Your callback is booked")
    second.get_by_role("button", name="Book the callback").click(no_wait_after=concurrent)
    for page in (first, second):
        expect(page.locator("h1")).to_have_text(
            re.compile("Your callback is booked|Have us call you back")
        )
        expect(page.locator(".public-form, .promise").first).to_be_visible()
    outcomes = {p: p.locator("h1").inner_text() for p in (first, second)}
    winners = [p for p, h1 in outcomes.items() if h1 == "Your callback is booked"]
    losers = [p for p, h1 in outcomes.items() if h1 == "Have us call you back"]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    loser = losers[0]
    expect(loser.get_by_role("alert")).to_contain_text("that slot is full")
    expect(loser.get_by_label(re.compile("Monday 30 November.*08:30 to 08:45"))).to_have_count(0)
    expect(loser.get_by_label("Your name")).to_have_value("Beller")
    # The next free time is offered; taking it books it.
    loser.get_by_label(re.compile("Monday 30 November.*08:45 to 09:00")).check()
    loser.get_by_role("button", name="Book the callback").click()
    expect(loser.get_by_role("status")).to_contain_text("between 08:45 and 09:00")
    starts = sorted(Callback.objects.values_list("slot_start", flat=True))
    assert starts == [local(2026, 11, 30, 8, 30), local(2026, 11, 30, 8, 45)]


def test_a_scripted_flood_is_stopped_and_a_person_still_gets_through(
    browser, live_server, settings
):
    settings.PUBLIC_MIN_FILL_SECONDS = 2
    settings.PUBLIC_POSTS_PER_IP_PER_HOUR = 5
    settings.SIGN_IN_IP_FROM_FORWARDED_FOR = True
    settings.SIGN_IN_TRUSTED_PROXIES = ["127.0.0.1"]
    flood = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    form_page = flood.request.get(f"{live_server.url}/hulp/vraag/")
    html = form_page.text()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    statuses = []
    for n in range(30):  # bounded: a script posting as fast as it can
        fields = {
            "csrfmiddlewaretoken": csrf,
            "started": started,
            "name": f"Bot {n}",
            "email": f"bot{n}@example.org",
            "subject": "Goedkope zonnepanelen",
            "question": "http://spam.example",
            "website": "http://spam.example" if n % 2 else "",
        }
        response = flood.request.post(
            f"{live_server.url}/hulp/vraag/",
            form=fields,
            headers={"Referer": f"{live_server.url}/hulp/vraag/"},
        )
        statuses.append(response.status)
    flood.close()

    assert statuses[:5] == [400] * 5  # too fast or honeypot: refused, and counted
    assert statuses[5:] == [429] * 25  # then the address is refused outright
    assert not Case.objects.exists()

    person = new_page(browser, extra_http_headers={"X-Forwarded-For": "198.51.100.20"})
    person.goto(f"{live_server.url}/hulp/vraag/")
    person.get_by_label("Your name").fill("Anouk Bakker")
    person.get_by_label("Email address").fill("a.bakker@example.nl")
    person.get_by_label("Subject").fill("Zelfscan")
    person.get_by_label("Your question").fill("Waar vind ik de zelfscan?")
    person.wait_for_timeout(2_100)  # a person takes longer than the minimum fill time
    person.get_by_role("button", name="Send question").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Thank you, we have your question")
    assert Case.objects.get().channel == Channel.WEB


def _pages() -> dict[str, str]:
    """Every public page once, in the state a visitor meets it."""
    callback = callback_book(visitor=Visitor(name="Anouk Bakker", number="+31546541234"), slot=None)
    return {
        "start": "/hulp/",
        "ask": "/hulp/vraag/",
        "callback": "/hulp/terugbellen/",
        "manage": f"/hulp/terugbellen/{tokens.link_token(tokens.CALLBACK, callback.pk)}/",
        "status": f"/hulp/vraag/status/{tokens.link_token(tokens.QUESTION, callback.case.pk)}/",
        "bad link": "/hulp/terugbellen/not-a-link/",
        "embedded callback": "/hulp/embed/terugbellen/",
    }


def _submit(page: Page) -> None:
    page.locator("form.public-form button[type=submit]").click()
    page.wait_for_load_state()


def test_every_public_page_in_both_languages_has_no_axe_violations(browser, live_server):
    pages = _pages()
    found = {}
    for locale in ("nl-NL", "en-GB"):
        page = new_page(browser, locale=locale, bypass_csp=True)
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            found[locale, name] = axe_violations(page)
        # Forms sent back with their errors, and the confirmations.
        page.goto(f"{live_server.url}/hulp/vraag/")
        _submit(page)
        found[locale, "ask with errors"] = axe_violations(page)
        page.locator("#id_name").fill("Anouk Bakker")
        page.locator("#id_email").fill("a.bakker@example.nl")
        page.locator("#id_subject").fill("Zelfscan")
        page.locator("#id_question").fill("Waar vind ik de zelfscan?")
        _submit(page)
        found[locale, "question sent"] = axe_violations(page)
        page.goto(f"{live_server.url}/hulp/terugbellen/")
        _submit(page)
        found[locale, "callback with errors"] = axe_violations(page)
        page.locator("#id_name").fill("Anouk Bakker")
        page.locator("#id_phone").fill(f"0546 541 23{len(found) % 10}")
        _submit(page)
        found[locale, "callback booked"] = axe_violations(page)
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        page.context.close()

    assert {key: v for key, v in found.items() if v} == {}
    assert len(found) == 2 * (len(pages) + 4)


def test_the_accessibility_check_itself_finds_a_violation(browser):
    """The check above is only worth something if axe runs and reports: an unlabelled image."""
    page = new_page(browser, bypass_csp=True)
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><img src="x"></body></html>'
    )

    assert "image-alt" in {violation["rule"] for violation in axe_violations(page)}
