"""The reply box in a real browser: a canned answer typed as ::short name or chosen from
the list, filled in for the case, and a reply with a file that reaches the mail backend."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import CannedAnswer, OutboundMessage
from tests.browser.harness import chromium_page, sign_in
from tests.factories import ContactFactory, InboundMessageFactory, UrgentMailCaseFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page() as page:
        yield page


@pytest.fixture
def case(staff_user):
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl")
    case = UrgentMailCaseFactory(contact=jan, actor=staff_user)
    message = InboundMessageFactory(
        from_address="jan@almelo.nl", received_at=timezone.now() - dt.timedelta(hours=1)
    )
    message.case = case
    message.save(update_fields=["case"])
    CannedAnswer.objects.create(
        short_name="aspirant",
        title="Van Aspirant naar Trede 1",
        body_nl="Beste {naam}, over {zaak}: de stappen staan in de bijlage.",
    )
    return case


def test_a_canned_answer_typed_as_its_short_name_is_filled_in_for_the_case(page, live_server, case):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.goto(live_server.url + reverse("case_detail", args=[case.reference]))
    body = page.locator("textarea[data-reply-body]")
    body.focus()
    page.keyboard.press("Control+Home")
    body.press_sequentially("::aspirant")
    page.keyboard.press("Tab")
    expected = f"Beste Jan Jansen, over {case.reference}: de stappen staan in de bijlage."
    expect(body).to_have_value(re.compile("^" + re.escape(expected)))
    expect(body).to_be_focused()  # Tab inserted; it did not leave the box


def test_a_canned_answer_chosen_from_the_list_is_previewed_then_inserted(page, live_server, case):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.goto(live_server.url + reverse("case_detail", args=[case.reference]))
    page.get_by_label("Canned answer").select_option("aspirant")
    expect(page.locator("[data-canned-preview]")).to_contain_text("Beste Jan Jansen")
    body = page.locator("textarea[data-reply-body]")
    body.focus()
    page.keyboard.press("Control+Home")
    page.get_by_role("button", name="Insert").click()
    expect(body).to_have_value(re.compile("^Beste Jan Jansen, over "))


def test_a_reply_with_a_file_reaches_the_mail_backend(page, live_server, case, tmp_path):
    sign_in(page, live_server.url, "sanne", "sanne-pass-123")
    page.goto(live_server.url + reverse("case_detail", args=[case.reference]))
    stappen = tmp_path / "stappenplan.pdf"
    stappen.write_bytes(b"%PDF-1.4 stappenplan")
    django_mail.outbox.clear()
    page.get_by_role("textbox", name="Cc:", exact=True).fill("els@almelo.nl")
    page.get_by_label("Attachments").set_input_files(str(stappen))
    page.locator("textarea[data-reply-body]").fill("Beste Jan, zie de bijlage.")
    page.get_by_role("button", name="Send email").click()
    expect(page.locator(".messages")).to_contain_text("Your email was sent.")
    email = django_mail.outbox[-1]
    assert email.cc == ["els@almelo.nl"]
    assert email.attachments[0][:2] == ("stappenplan.pdf", b"%PDF-1.4 stappenplan")
    assert OutboundMessage.objects.get(automatic=False).attachments.count() == 1
