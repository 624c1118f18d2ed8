"""From the keyboard in a real browser: the header search (key /) finds a case by a phone
number in another notation, a KvK number and a word from a mail body; "g c" goes to the
cases; and logging a call for a known caller on an existing case takes at most 40 keys."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import PhoneCall
from tests.browser.harness import chromium_page, sign_in
from tests.factories import CaseFactory, ContactFactory, InboundMessageFactory, OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The most keys logging a call for a known caller on an existing case may take.
KEYSTROKE_BUDGET = 40


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page() as page:
        yield page


@pytest.fixture
def almelo(staff_user):
    almelo = OrganisationFactory(name="Gemeente Almelo", kvk_number="08180538")
    anouk = ContactFactory(
        name="Anouk Bakker", email="a.bakker@almelo.nl", organisation=almelo, phone="+31546541234"
    )
    case = CaseFactory(subject="Herbeoordeling Trede 3", contact=anouk, actor=staff_user)
    mailed = CaseFactory(subject="Vraag per mail", actor=staff_user)
    message = InboundMessageFactory(text_body="Wij vragen ons af hoe ketenstimulering werkt.")
    message.case = mailed
    message.save(update_fields=["case"])
    return {"case": case, "mailed": mailed}


class Keys:
    """The keyboard, counting every key pressed (a typed character is one key)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)
        self.count += len(text)


def search_from_the_header(page: Page, query: str) -> None:
    page.keyboard.press("/")
    expect(page.locator("[data-search-box]")).to_be_focused()
    page.keyboard.type(query)
    page.keyboard.press("Enter")


def test_the_header_search_finds_by_phone_kvk_and_a_word_from_a_mail(page, live_server, almelo):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    cases = page.locator("#found-cases").locator("..")
    for query, case in [
        ("0546-541234", almelo["case"]),
        ("0818 0538", almelo["case"]),
        ("ketenstimulering", almelo["mailed"]),
    ]:
        search_from_the_header(page, query)
        expect(cases).to_contain_text(case.reference)
        expect(page.get_by_role("status").first).to_contain_text(re.compile(r"\d+ results?"))


def test_g_then_c_goes_to_the_cases_and_question_mark_lists_the_shortcuts(
    page, live_server, staff_user
):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/cases/$"))


def test_logging_a_call_on_an_existing_case_takes_at_most_40_keys(
    page, live_server, staff_user, almelo
):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    keys = Keys(page)
    keys.press("Alt+n")
    expect(page.get_by_role("searchbox", name=re.compile("Phone number"))).to_be_focused()
    keys.type("0546541234")
    result = page.locator("#caller-results").get_by_role("link", name=re.compile("Anouk Bakker"))
    expect(result).to_be_visible()
    keys.press("ArrowDown")
    keys.press("Enter")
    existing = page.get_by_label(re.compile(f"Add this call to {almelo['case'].reference}"))
    expect(existing).to_be_focused()
    keys.press("Space")
    notes = page.get_by_label("What was asked and answered")
    while not notes.evaluate("el => el === document.activeElement"):
        keys.press("Tab")
        assert keys.count <= KEYSTROKE_BUDGET, "the note field is too far away"
    keys.type("Uitgelegd.")
    keys.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(almelo["case"].reference)
    print(f"\nLog a call, known caller, existing case: {keys.count} keystrokes")
    call = PhoneCall.objects.get(case=almelo["case"])
    assert call.notes == "Uitgelegd."
    assert keys.count <= KEYSTROKE_BUDGET
    assert page.url.endswith(reverse("case_detail", args=[almelo["case"].reference]))
