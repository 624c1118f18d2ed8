"""The staff pages in a real browser at 1,280 px (and 1,024): nothing wider than the window,
no box drawn over another, and no serious or critical WCAG 2.1 AA problem that axe-core finds.

Runs headless Chromium from /usr/bin/chromium with axe-core from the npm registry
(scripts/test installs both); a missing browser or axe fails the tests.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from cases import services
from cases.models import Priority, PsoLevel, Status
from tests.browser.harness import (
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    layout_problems,
    new_context,
    sign_in,
)
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    NoteFactory,
    OrganisationFactory,
    PhoneCallFactory,
    UrgentMailCaseFactory,
)
from tests.pages import MANAGER_PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_SUBJECT = (
    "Herbeoordeling van de Trede 3-status na de fusie van twee SW-bedrijven in de regio "
    "Twente, met vragen over social return en ketenstimulering"
)


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def busy_helpdesk(staff_user, manager_user):
    """A helpdesk on a working day: long subjects, urgent and late mail, a long case."""
    now = timezone.now()
    almelo = OrganisationFactory(
        name="Gemeente Almelo — Afdeling Werk, Inkomen en Participatie",
        kvk_number="08180538",
        pso=PsoLevel.TREDE_3,
        pso__effective_from=timezone.localdate() - dt.timedelta(days=400),
    )
    anouk = ContactFactory(
        name="Anouk Bakker-van den Hoogenband",
        email="a.bakker-vandenhoogenband@almelo.nl",
        organisation=almelo,
        phone="+31546541234",
    )
    for i in range(6):
        created = now - dt.timedelta(days=i + 1, hours=2)
        UrgentMailCaseFactory(
            subject=f"SPOED {LONG_SUBJECT} ({i})", contact=anouk, created_at=created
        )
        CaseFactory(
            subject=f"{LONG_SUBJECT} [{i}]",
            contact=anouk,
            assignee=staff_user,
            priority=Priority.URGENT if i % 2 else Priority.NORMAL,
            created_at=created,
        )
    long_case = CaseFactory(
        subject=LONG_SUBJECT, contact=anouk, assignee=staff_user, actor=staff_user
    )
    for i in range(40):
        NoteFactory(case=long_case, author=staff_user, body=f"Aantekening {i}: " + "tekst " * 40)
    PhoneCallFactory(case=long_case, actor=staff_user, notes="Teruggebeld, " * 30)
    message = InboundMessageFactory(
        subject=LONG_SUBJECT,
        from_address=anouk.email,
        text_body="Beste helpdesk,\n\n" + "Een lange zin zonder einde " * 60,
    )
    message.case = long_case
    message.save(update_fields=["case"])
    services.case_update(case=long_case, actor=staff_user, status=Status.WAITING)
    return long_case


def pages(case) -> list[tuple[str, str]]:
    return [
        ("dashboard", reverse("dashboard")),
        ("case page", reverse("case_detail", args=[case.reference])),
        ("report", reverse("report")),
    ]


@pytest.mark.parametrize("width", [1280, 1024])
def test_dashboard_case_page_and_report_fit_the_window_without_overlap(
    browser, live_server, busy_helpdesk, width
):
    context = new_context(browser, width=width)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "marco", "marco-pass-123")
        found = {}
        for title, path in pages(busy_helpdesk):
            page.goto(live_server.url + path)
            found[title] = layout_problems(page)
        assert found == {title: [] for title, _path in pages(busy_helpdesk)}
    finally:
        context.close()


STAFF_PAGES = [
    "dashboard",
    "call_log",
    "case_list",
    "mail_unprocessed",
    "callback_queue",
    "organisation_list",
    "sla_at_risk",
    "two_factor_setup",
    "profile",
    "telephony_call_log",
    "organisation_add",
]


@pytest.mark.parametrize("width", [1280, 1024])
def test_every_staff_page_fits_the_window_without_overlap(
    browser, live_server, busy_helpdesk, width
):
    context = new_context(browser, width=width)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "marco", "marco-pass-123")
        urls = [reverse(name) for name in STAFF_PAGES + MANAGER_PAGES if name != "dashboard"]
        urls += [
            reverse("organisation_detail", args=[busy_helpdesk.organisation_id]),
            reverse("case_merge", args=[busy_helpdesk.reference]),
            reverse("search") + "?q=Almelo",
        ]
        found = {}
        for url in urls:
            page.goto(live_server.url + url)
            found[url] = layout_problems(page)
        assert found == {url: [] for url in urls}
    finally:
        context.close()


def test_no_serious_accessibility_problem_on_any_staff_page(browser, live_server, busy_helpdesk):
    assert AXE.exists(), "scripts/test installs axe-core from the npm registry into var/axe/"
    # axe is injected as a script element, which the page's own policy rightly refuses.
    context = new_context(browser, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "marco", "marco-pass-123")
        case = busy_helpdesk
        urls = [reverse(name) for name in STAFF_PAGES + MANAGER_PAGES]
        urls += [
            reverse("case_detail", args=[case.reference]),
            reverse("organisation_detail", args=[case.organisation_id]),
            reverse("case_merge", args=[case.reference]),
            # The case list with a saved filter chosen (the saved-filter bar, its save form).
            reverse("case_list") + "?priority=urgent&waiting_days=5",
            # Search results in all three groups.
            reverse("search") + "?q=Almelo",
        ]
        found = {}
        for url in urls:
            page.goto(live_server.url + url)
            found[url] = axe_violations(page)
        assert found == {url: [] for url in urls}
    finally:
        context.close()


#: The top of each item of the main menu that shows, and whether the menu itself scrolls.
MENU_ROWS = """
() => {
  const nav = document.querySelector("header nav");
  const items = Array.from(nav.querySelectorAll(":scope > ul > li"))
    .filter(li => getComputedStyle(li).display !== "none");
  return {
    tops: items.map(li => Math.round(li.getBoundingClientRect().top)),
    labels: items.map(li => (li.querySelector("a, summary") || li).textContent.trim()),
    overflows: nav.scrollWidth > nav.clientWidth + 1,
  };
}
"""


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("width", [1280, 1024])
def test_the_managers_menu_keeps_to_one_row_and_more_opens_from_the_keyboard(
    browser, live_server, busy_helpdesk, width, language
):
    # The manager's menu is the longest; Dutch labels are the longer ones.
    context = new_context(browser, width=width, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "marco", "marco-pass-123")
        page.locator("#language-select").select_option(language)
        page.locator(".language-form button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)

        rows = page.evaluate(MENU_ROWS)
        assert len(rows["tops"]) >= 8, rows["labels"]
        assert set(rows["tops"]) == {rows["tops"][0]}, dict(
            zip(rows["labels"], rows["tops"], strict=True)
        )
        assert not rows["overflows"]
        assert layout_problems(page) == []
        report = reverse("report")
        report_on_the_row = page.locator(f"header nav > ul > li > a[href='{report}']")
        # At 1,280 the report is on the row; at 1,024 it moves under "More".
        assert report_on_the_row.is_visible() == (width == 1280)

        more = page.locator("[data-nav-more] > summary")
        more.focus()
        page.keyboard.press("Enter")
        menu = page.locator("[data-nav-more] ul")
        expect(menu).to_be_visible()
        page.keyboard.press("Tab")
        first = {
            ("en", 1280): "Opening times",
            ("en", 1024): "SLA report",
            ("nl", 1280): "Openingstijden",
            ("nl", 1024): "SLA-rapportage",
        }[language, width]
        expect(page.locator(":focus")).to_have_text(first)
        expect(menu.locator(f"a[href='{reverse('helpdesk_signature')}']")).to_be_visible()
        # Open, the list lies over the page (by design) inside the window: nothing scrolls.
        box = menu.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []

        page.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(more).to_be_focused()
        # Space opens it too, and a click elsewhere closes it.
        page.keyboard.press(" ")
        expect(menu).to_be_visible()
        page.locator("main h1").first.click()
        expect(menu).to_be_hidden()
    finally:
        context.close()
