"""Two colleagues on one case, in two browsers: each sees the other viewing and writing,
and a reply sent after the other's reply arrived is held until confirmed."""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from cases.models import OutboundMessage
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, new_context, sign_in
from tests.factories import ContactFactory, UrgentMailCaseFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def test_two_colleagues_see_each_other_and_the_second_reply_is_held(
    browser, live_server, staff_user, manager_user, settings
):
    settings.PRESENCE_POLL_SECONDS = 1
    case = UrgentMailCaseFactory(
        contact=ContactFactory(name="Jan Jansen", email="jan@almelo.nl"), actor=staff_user
    )
    url = live_server.url + reverse("case_detail", args=[case.reference])
    sanne_context, marco_context = new_context(browser), new_context(browser)
    try:
        sanne, marco = sanne_context.new_page(), marco_context.new_page()
        sign_in(sanne, live_server.url, "sanne", "sanne-pass-123")
        sign_in(marco, live_server.url, "marco", "marco-pass-123")
        sanne.goto(url)
        marco.goto(url)
        expect(marco.locator("#presence")).to_contain_text("Sanne de Vries is viewing this case")
        expect(sanne.locator("#presence")).to_contain_text("Marco Jansen is viewing this case")

        sanne.locator("textarea[data-reply-body]").press_sequentially("Beste Jan, ")
        expect(marco.locator("#presence")).to_contain_text("Sanne de Vries is writing a reply")

        # Marco answers first; Sanne's page was drawn before his reply.
        marco.locator("textarea[data-reply-body]").fill("Beste Jan, het antwoord is ja.")
        marco.get_by_role("button", name="Send email").click()
        expect(marco.get_by_role("status").first).to_contain_text("Your email was sent.")

        sanne.locator("textarea[data-reply-body]").fill("Beste Jan, het antwoord is nee.")
        sanne.get_by_role("button", name="Send email").click()
        held = sanne.get_by_role("alert")
        expect(held).to_contain_text("this arrived on the case while you were writing")
        expect(held).to_contain_text("Reply by Marco Jansen")
        assert OutboundMessage.objects.filter(automatic=False).count() == 1

        sanne.get_by_role("button", name="Send anyway").click()
        expect(sanne.get_by_role("status").first).to_contain_text("Your email was sent.")
        assert OutboundMessage.objects.filter(automatic=False).count() == 2
    finally:
        sanne_context.close()
        marco_context.close()
