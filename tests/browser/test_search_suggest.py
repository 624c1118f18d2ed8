"""The header search's drop-down in a real browser: a phone number typed in another
notation drops its case down below the box, the arrow keys reach it, Enter opens it,
Escape closes the list and leaves focus in the box; screen readers hear how many results
there are, and axe finds nothing serious with the list open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.axe import axe_violations
from tests.browser.harness import chromium_page, sign_in
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory

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


@pytest.fixture
def anouk_case(staff_user):
    almelo = OrganisationFactory(name="Gemeente Almelo", kvk_number="08180538")
    anouk = ContactFactory(name="Anouk Bakker", organisation=almelo, phone="+31546541234")
    return CaseFactory(subject="Herbeoordeling Trede 3", contact=anouk, actor=staff_user)


def test_a_number_in_another_notation_is_reached_with_the_arrows_and_opened(
    page, live_server, anouk_case
):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    box = page.get_by_role("combobox", name="Search cases, contacts and organisations")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("0546-541234", delay=20)

    listbox = page.get_by_role("listbox", name="Search results")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    # The case and its contact: the number said aloud is the number shown.
    expect(page.locator("#search-suggest-status")).to_have_text("2 results")
    case_option = listbox.get_by_role("option", name=re.compile(anouk_case.reference))
    expect(case_option).to_be_visible()

    # Down to the second result and back up to the case; focus never leaves the box.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(case_option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", case_option.get_attribute("id"))
    expect(box).to_be_focused()

    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious

    # Escape closes the list and leaves the box focused; ArrowDown opens it again.
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")
    expect(case_option).to_have_attribute("aria-selected", "true")

    page.keyboard.press("Enter")
    case_page = reverse("case_detail", args=[anouk_case.reference])
    expect(page).to_have_url(re.compile(re.escape(case_page)))
    expect(page.get_by_role("heading", level=1)).to_contain_text(anouk_case.reference)


def test_enter_without_a_chosen_result_opens_the_search_page(page, live_server, anouk_case):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.keyboard.press("/")
    page.keyboard.type("Herbeoordeling", delay=20)
    expect(page.get_by_role("listbox", name="Search results")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Herbeoordeling$"))
    expect(page.locator("#found-cases").locator("..")).to_contain_text(anouk_case.reference)
