"""A person's request: found by address or number, exported as a ZIP, erased with confirmation."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, Contact, Status
from privacy.models import LegalHold, PersonRequest, PersonRequestKind
from privacy.scrub import ANONYMISED
from tests.privacy import scenario as s
from tests.privacy.stored import places_of


@pytest.fixture
def scene(db, staff_user, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        scene = s.plant(staff_user)
    # His cases are done with, except where the test says otherwise.
    Case.objects.filter(pk__in=[scene.thread.pk, scene.phone_case.pk]).update(status=Status.CLOSED)
    return scene


@pytest.fixture
def manager(manager_user):
    browser = Client()
    browser.force_login(manager_user)
    return browser


@pytest.mark.parametrize("term", ["06 nope", "zorbek", "<script>", "+31 6", "a" * 400])
def test_a_term_that_is_no_address_or_number_gets_a_clear_message(manager, db, term):
    response = manager.get(reverse("privacy:person"), {"q": term})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


@pytest.mark.parametrize("term", ["0546987654", "+31 546 98 76 54", s.ZORBEK_EMAIL.upper()])
def test_the_person_is_found_by_address_or_by_number_in_any_notation(manager, scene, term):
    response = manager.get(reverse("privacy:person"), {"q": term})
    assert response.context["counts"]["cases"] == 2
    assert response.context["counts"]["contacts"] == 1
    references = {case.reference for case in response.context["cases"]}
    assert references == {scene.thread.reference, scene.phone_case.reference}


def test_the_export_holds_their_records_mails_and_attachments_and_nothing_of_others(manager, scene):
    response = manager.post(reverse("privacy:person_export"), {"q": s.ZORBEK_PHONE})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("gegevens.json"))
    assert [c["email"] for c in data["contacts"]] == [s.ZORBEK_EMAIL]
    assert [p["number"] for p in data["phone_numbers"]] == [s.ZORBEK_PHONE]
    assert {m["from_address"] for m in data["inbound_mail"]} == {s.ZORBEK_EMAIL}
    assert data["calls"][0]["notes"].startswith(s.ZORBEK)
    # The phone system's record of his calls: the logged one and the missed one.
    assert [
        (c["from_raw"], c["phone_call__case__reference"]) for c in data["phone_system_calls"]
    ] == [
        ("0546987654", scene.phone_case.reference),
        ("+31 546 98 76 54", None),
    ]
    mail = scene.thread.inbound_messages.get(from_address=s.ZORBEK_EMAIL)
    assert archive.read(f"originals/{mail.pk}.eml") == bytes(mail.raw)
    attachments = [n for n in archive.namelist() if n.startswith("bijlagen/")]
    assert len(attachments) == 1 and archive.read(attachments[0]).startswith(b"Verslag van Zorbek")
    assert s.WILMA_EMAIL.encode() not in archive.read(attachments[0])
    assert all(m["from_address"] != s.WILMA_EMAIL for m in data["inbound_mail"])

    handled = PersonRequest.objects.get()
    assert handled.kind == PersonRequestKind.ACCESS and handled.records > 0


def test_the_erasure_asks_for_confirmation_naming_how_many_records(manager, scene):
    page = manager.get(reverse("privacy:person_erase"), {"q": s.ZORBEK_EMAIL})
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["cases"], counts["inbound_mail"], counts["calls"]) == (2, 1, 1)
    assert b"cannot be undone" in page.content or "ongedaan" in page.content.decode()
    refused = manager.post(reverse("privacy:person_erase"), {"q": s.ZORBEK_EMAIL})
    assert refused.status_code == 302
    assert Contact.objects.get(pk=scene.zorbek.pk).name == s.ZORBEK


def test_erasure_anonymises_and_records_the_request_without_personal_data(manager, scene):
    response = manager.post(reverse("privacy:person_erase"), {"q": s.ZORBEK_EMAIL, "confirm": "on"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=scene.zorbek.pk).name == ANONYMISED
    handled = PersonRequest.objects.get()
    assert handled.kind == PersonRequestKind.ERASURE and handled.records > 0
    # The record of the request, like everything else, holds nothing of him.
    assert places_of("Zorbek") == [] and places_of(s.ZORBEK_EMAIL) == []


def test_an_open_case_refuses_the_erasure_unless_closing_it_is_confirmed(manager, scene):
    Case.objects.filter(pk=scene.phone_case.pk).update(status=Status.OPEN)
    refused = manager.post(
        reverse("privacy:person_erase"), {"q": s.ZORBEK_EMAIL, "confirm": "on"}, follow=True
    )
    assert scene.phone_case.reference in str(list(refused.context["messages"])[0])
    assert Contact.objects.get(pk=scene.zorbek.pk).name == s.ZORBEK
    assert not PersonRequest.objects.exists()

    manager.post(
        reverse("privacy:person_erase"),
        {"q": s.ZORBEK_EMAIL, "confirm": "on", "close_open_cases": "on"},
    )
    case = Case.objects.get(pk=scene.phone_case.pk)
    assert case.status == Status.CLOSED and case.subject == ANONYMISED
    assert PersonRequest.objects.get().closed_cases == 1


def test_a_case_under_legal_hold_refuses_the_erasure(manager, manager_user, scene):
    LegalHold.objects.create(
        case=scene.phone_case,
        reason="Klacht",
        set_at=scene.phone_case.created_at,
        set_by=manager_user,
    )
    manager.post(reverse("privacy:person_erase"), {"q": s.ZORBEK_EMAIL, "confirm": "on"})
    assert Contact.objects.get(pk=scene.zorbek.pk).name == s.ZORBEK
