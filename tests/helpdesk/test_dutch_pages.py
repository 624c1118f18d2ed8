"""Every staff page in Dutch shows no English text from the catalogue.

A text that reaches a Dutch page in English was not translated where it is used:
formatted before the language was known, built outside gettext, or from a library
without a Dutch catalogue. Each page is rendered in Dutch (the helpdesk's default)
and searched for the English source of every catalogue entry whose Dutch differs.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import InboundStatus, Status
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    NoteFactory,
    OrganisationFactory,
    UrgentMailCaseFactory,
)
from tests.helpdesk.test_translations import PO_FILE, read_po
from tests.pages import MANAGER_PAGES

pytestmark = pytest.mark.django_db

#: Sources that read the same in both languages, or are too short to tell apart.
MIN_LETTERS = 10


def english_sources() -> list[str]:
    """The English of every entry translated to something else, split at its placeholders."""
    found = set()
    for entry in read_po(PO_FILE):
        if not entry.msgid or entry.msgstr.get(0) in (None, "", entry.msgid):
            continue
        for source in filter(None, [entry.msgid, entry.msgid_plural]):
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\n", source):
                piece = piece.strip(" .,:;()–—“”\"'")
                if len(re.findall(r"[A-Za-z]", piece)) >= MIN_LETTERS and " " in piece:
                    found.add(piece)
    return sorted(found, key=len, reverse=True)


def visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    # What a text box holds is data, not the interface: the English version of the
    # helpdesk's signature is English on purpose, a reply is in the customer's language.
    page = re.sub(r"(?s)(<textarea\b[^>]*>).*?</textarea>", r"\1</textarea>", page)
    # Attributes people hear or see: labels for screen readers, titles, placeholders.
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page))
    text = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(f"{text} {attributes}").split())


@pytest.fixture
def helpdesk(staff_user):
    almelo = OrganisationFactory(name="Gemeente Almelo", kvk_number="08180538")
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl", organisation=almelo)
    case = UrgentMailCaseFactory(contact=jan, actor=staff_user, assignee=staff_user)
    NoteFactory(case=case, author=staff_user)
    waiting = CaseFactory(contact=jan, actor=staff_user)
    services.case_update(case=waiting, actor=staff_user, status=Status.WAITING)
    message = InboundMessageFactory(from_address="jan@almelo.nl")
    message.case = case
    message.save(update_fields=["case"])
    InboundMessageFactory(
        subject="Niet te verwerken",
        status=InboundStatus.FAILED,
        error="could not parse the message",
        received_at=timezone.now(),
    )
    return {"case": case, "organisation": almelo, "message": message}


def staff_pages(helpdesk) -> list[str]:
    case, organisation = helpdesk["case"], helpdesk["organisation"]
    return [
        reverse("dashboard"),
        reverse("call_log"),
        reverse("case_list"),
        reverse("case_detail", args=[case.reference]),
        reverse("mail_unprocessed"),
        reverse("mail_message", args=[helpdesk["message"].pk]),
        reverse("callback_queue"),
        reverse("callback_new", args=[case.reference]),
        reverse("sla_at_risk"),
        reverse("organisation_list"),
        reverse("organisation_detail", args=[organisation.pk]),
        reverse("organisation_add"),
        reverse("organisation_edit", args=[organisation.pk]),
        reverse("two_factor_setup"),
        reverse("profile"),
        reverse("telephony_call_log"),
        reverse("case_merge", args=[case.reference]),
        reverse("search") + "?q=Almelo",
    ]


def english_on(client, urls: list[str]) -> dict[str, list[str]]:
    sources = english_sources()
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        # Whole words only: "PSO-register importeren" is Dutch, not "register import".
        leaks = [
            source
            for source in sources
            if source in text and re.search(rf"(?<!\w){re.escape(source)}(?!\w)", text)
        ]
        if leaks:
            found[url] = leaks
    return found


def test_no_staff_page_shows_english_in_dutch(client, staff_user, helpdesk):
    client.force_login(staff_user)
    assert english_on(client, staff_pages(helpdesk)) == {}


def test_no_manager_page_shows_english_in_dutch(client, manager_user, helpdesk):
    client.force_login(manager_user)
    urls = [reverse(name) for name in MANAGER_PAGES] + [reverse("admin:index")]
    assert english_on(client, urls) == {}


def test_the_check_would_find_an_english_text():
    assert "Nothing has happened on this case yet" in english_sources()


def test_why_mail_was_not_processed_reads_in_dutch(staff_client, helpdesk):
    InboundMessageFactory(
        subject="Afwezigheidsbericht",
        status=InboundStatus.QUARANTINED,
        error="automatic message without a case (Auto-Submitted: auto-replied)",
    )
    page = visible_text(staff_client.get(reverse("mail_unprocessed")).content.decode())
    assert "Een automatisch bericht dat bij geen zaak hoort (Auto-Submitted: auto-replied)." in page


def test_the_background_tasks_section_of_the_administration_is_dutch(manager_client):
    page = visible_text(manager_client.get(reverse("admin:index")).content.decode())
    assert "Achtergrondtaken" in page
    assert "Django Q" not in page
