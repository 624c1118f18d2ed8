"""The Content-Security-Policy in a real browser: the pages work under it and break none of it.

The policy allows no inline script or style, so anything left inline in a template
(or injected by a library, such as htmx's indicator styles) would show up here as a
``securitypolicyviolation`` event or a console error. Runs headless Chromium from
/usr/bin/chromium, like the other browser tests; a missing browser fails the test.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from playwright.sync_api import ConsoleMessage, Page, expect, sync_playwright

from cases.models import Contact, Organisation, PhoneNumber
from cases.phones import normalise
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS
from tests.cases import case_factories

#: Runs before any script of each page: keeps every CSP violation for the test to read.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

pytestmark = [
    pytest.mark.browser,
    # The live server starts before the per-test settings; it serves static files
    # from the app folders itself, so whitenoise finding no collected files is moot.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    # The live server needs committed data; serialized_rollback brings back the
    # role groups and categories the migrations made, whatever ran before.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Watched:
    """A page with everything the browser complained about, per visited page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.complaints: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.complaints.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        self.complaints.append(f"console {message.type} on {self.page.url}: {message.text}")

    def violations(self) -> list[dict]:
        return self.page.evaluate("window.__cspViolations || []")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, (url, response and response.status)
        self.check()

    def check(self) -> None:
        # Let deferred scripts and any late style or script injection happen first.
        self.page.wait_for_load_state("networkidle")
        assert self.violations() == [], self.page.url
        assert self.complaints == []


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the
    # test itself are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB")
        context.set_default_timeout(10_000)
        context.add_init_script(COLLECT_VIOLATIONS)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
            # The ORM calls made while Playwright runs use a connection of their own,
            # which the test database's teardown would not close (PostgreSQL then
            # refuses to drop the database).
            connections.close_all()


def test_the_pages_run_under_the_policy_and_htmx_still_works(
    browser_page, live_server, manager_user
):
    almelo = Organisation.objects.create(name="Gemeente Almelo", kvk_number="08180538")
    anouk = Contact.objects.create(name="Anouk Bakker", organisation=almelo)
    PhoneNumber.objects.create(number=normalise("0546 541 234"), contact=anouk)
    case = case_factories.case("Herbeoordeling Trede 3", organisation=almelo, contact=anouk)
    base = live_server.url
    watched = Watched(browser_page)
    page = browser_page

    watched.visit(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("marco")
    page.get_by_label("Password").fill("marco-pass-123")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    watched.check()  # the dashboard, where signing in lands

    watched.visit(f"{base}/cases/")
    watched.visit(f"{base}/cases/{case.reference}/")
    watched.visit(f"{base}/reports/")

    # htmx under the policy: the caller search answers as the number is typed.
    watched.visit(f"{base}/calls/new/")
    search = page.get_by_role("searchbox", name=re.compile("Phone number, name"))
    search.press_sequentially("0546-541234", delay=20)
    result = page.locator("#caller-results").get_by_role("link", name=re.compile("Anouk Bakker"))
    expect(result).to_be_visible()
    # The keyboard script (now a static file) still moves into the results.
    search.press("ArrowDown")
    expect(result).to_be_focused()
    watched.check()

    # The language switch changes on an explicit choice only: choosing, then the button.
    page.get_by_label("Language").select_option("nl")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    watched.check()

    # The administration: its index, a change list and a change form.
    watched.visit(f"{base}/admin/")
    watched.visit(f"{base}/admin/cases/case/")
    watched.visit(f"{base}/admin/cases/case/{case.pk}/change/")
    watched.visit(f"{base}/admin/cases/organisation/add/")


def test_an_injected_inline_script_is_refused(browser_page, live_server, staff_user):
    # The other side of the same coin: were markup ever to slip through, its inline
    # script would not run, and the browser says so.
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.__ran === true") is False
    violations = page.evaluate("window.__cspViolations")
    assert [v["directive"] for v in violations] == ["script-src-elem"]
