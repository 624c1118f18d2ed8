"""The phone rings: two staff members see the caller on screen, one takes the call and logs it.

A newCall is posted from the test to the running helpdesk over HTTP, as a phone
system would; the pop-up must show in both browsers within two seconds with the
caller's organisation and PSO status. The one who answered opens the pre-filled
form with one key, saves it while still talking, and after the hangup the saved
call carries the duration the phone system measured.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from cases.models import PhoneCall
from telephony.models import Call, Extension
from tests.browser.test_log_a_call import CHROMIUM, CHROMIUM_ARGS, almelo_caller, sign_in
from tests.factories import PhoneSystemFactory, StaffUserFactory
from tests.telephony.bridge import post, zammad

__all__ = ["almelo_caller"]  # the caller of the log-a-call test: Anouk Bakker, Gemeente Almelo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def two_browsers(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = [browser.new_context(locale="en-GB") for _ in range(2)]
        try:
            pages = []
            for context in contexts:
                context.set_default_timeout(10_000)
                pages.append(context.new_page())
            yield pages
        finally:
            for context in contexts:
                context.close()
            browser.close()
            connections.close_all()


def test_the_caller_shows_on_both_screens_and_the_answerer_logs_the_call(
    two_browsers, live_server, staff_user, almelo_caller
):
    sanne, piet = two_browsers
    StaffUserFactory(
        username="piet", password="piet-pass-1234", first_name="Piet", last_name="Smit"
    )
    Extension.objects.create(user=staff_user, number="201")
    system = PhoneSystemFactory()
    cti = f"{live_server.url}/cti/{system.token}/"
    sign_in(sanne, live_server.url, "sanne", "sanne-pass-123")
    sign_in(piet, live_server.url, "piet", "piet-pass-1234")

    assert post(cti, zammad("newCall", "b-1", caller="0546 541 234")).status == 200

    for page in (sanne, piet):
        popup = page.locator("#ringing")
        expect(popup).to_contain_text("The phone rings", timeout=2_000)
        expect(popup).to_contain_text("Anouk Bakker")
        expect(popup).to_contain_text("Gemeente Almelo")
        expect(popup).to_contain_text("Trede 3")

    assert post(cti, zammad("answer", "b-1", caller="0546 541 234")).status == 200
    expect(sanne.locator("#ringing")).to_contain_text("You took this call", timeout=2_000)
    expect(piet.locator("#ringing")).to_contain_text("Sanne de Vries took this call", timeout=2_000)

    sanne.keyboard.press("Alt+o")
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Log a call")
    expect(sanne.get_by_role("textbox", name="Phone number")).to_have_value("0546 541 234")
    expect(sanne.get_by_role("region", name="Caller")).to_contain_text("Anouk Bakker")
    sanne.get_by_label("Subject").fill("Vraag over Trede 3")
    sanne.get_by_label("What was asked and answered").fill("Wil de herbeoordeling plannen.")
    sanne.get_by_role("button", name="Save call").click()
    expect(sanne.get_by_role("heading", level=1)).to_contain_text("Vraag over Trede 3")

    assert post(cti, zammad("hangup", "b-1", caller="0546 541 234")).status == 200
    call = Call.objects.get()
    logged = PhoneCall.objects.get()
    assert call.phone_call == logged
    assert logged.logged_by == staff_user
    assert logged.duration == call.ended_at - call.answered_at
    assert logged.duration.total_seconds() > 0
    expect(sanne.locator("#ringing")).not_to_contain_text("You took this call", timeout=2_000)
