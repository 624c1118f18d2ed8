"""Anonymising reaches every place a person's data is stored, and touches nobody else's."""

from __future__ import annotations

import pytest

from cases.models import Case, Contact
from privacy.anonymise.case import case_anonymise
from privacy.anonymise.contact import contact_anonymise
from privacy.anonymise.person import person_erase
from privacy.selectors import person_find, person_records
from tests.privacy import scenario as s
from tests.privacy.stored import digits_pattern, places_of

ZORBEK_MARKERS = ["Zorbek", "Quintaal", s.ZORBEK_EMAIL, digits_pattern(s.ZORBEK_DIGITS)]
WILMA_MARKERS = ["Wilma", "Brandsma", s.WILMA_EMAIL, digits_pattern(s.WILMA_DIGITS)]


@pytest.fixture
def scene(db, staff_user, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        return s.plant(staff_user)


def erase(term: str) -> dict:
    person = person_find(term)
    return person_erase(person=person, cases=list(person_records(person).cases))


def test_the_planted_markers_are_really_stored_in_many_places(scene):
    # The check below means something only if the markers were where a person's data goes.
    tables = {table for table, _column in places_of("Zorbek")}
    assert {
        "cases_contact",
        "cases_case",
        "cases_note",
        "cases_phonecall",
        "cases_inboundmessage",
        "cases_mailattachment",
        "cases_outboundmessage",
        "cases_casechange",
        "scheduling_callback",
        "django_admin_log",
        "cases_organisation",
    } <= tables
    assert ("cases_phonenumber", "number") in places_of(digits_pattern(s.ZORBEK_DIGITS))


@pytest.mark.parametrize("term", [s.ZORBEK_EMAIL.upper(), "0546 - 98 76 54", "0031546987654"])
def test_erasing_a_person_leaves_their_markers_nowhere(scene, term):
    erase(term)
    for marker in ZORBEK_MARKERS:
        assert places_of(marker) == [], marker


def test_erasing_a_person_keeps_everything_of_the_other_person_in_their_thread(scene):
    reply = scene.thread.inbound_messages.get(from_address=s.WILMA_EMAIL)
    erase(s.ZORBEK_EMAIL)
    # Her own records still carry every one of her details.
    for marker in WILMA_MARKERS:
        assert {
            ("cases_contact", "name"),
            ("cases_inboundmessage", "raw"),
            ("cases_mailattachment", "content"),
        } & set(places_of(marker)) or ("cases_phonenumber", "number") in places_of(marker)
    wilma = Contact.objects.get(pk=scene.wilma.pk)
    assert (wilma.name, wilma.email, wilma.organisation) == (
        s.WILMA,
        s.WILMA_EMAIL,
        scene.organisation,
    )
    assert list(wilma.phones.values_list("number", flat=True)) == [s.WILMA_PHONE]
    after = type(reply).objects.get(pk=reply.pk)
    assert (after.from_address, after.from_name, after.subject) == (
        reply.from_address,
        reply.from_name,
        reply.subject,
    )
    # Her words stay; only his name and address in them are replaced.
    assert after.text_body == reply.text_body.replace("Zorbek", "[geanonimiseerd]").replace(
        s.ZORBEK_EMAIL, "[geanonimiseerd]"
    )
    assert after.cc == ""
    assert after.attachments.get().content == f"Verslag van {s.WILMA}, {s.WILMA_EMAIL}\n".encode()
    wilma_case = Case.objects.get(pk=scene.wilma_case.pk)
    assert (wilma_case.subject, wilma_case.description) == (
        f"Vraag van {s.WILMA}",
        f"{s.WILMA} belde vanaf 0546 111 222.",
    )
    assert wilma_case.calls.get().number == s.WILMA_PHONE
    assert not hasattr(wilma_case, "anonymised")


def test_the_thread_is_kept_for_the_other_person_and_the_persons_own_case_is_anonymised(scene):
    erase(s.ZORBEK_PHONE)
    thread = Case.objects.get(pk=scene.thread.pk)
    assert not hasattr(thread, "anonymised")  # shared: only his part went
    assert thread.contact is None
    assert thread.inbound_messages.count() == 2
    assert Case.objects.get(pk=scene.phone_case.pk).anonymised is not None


def test_anonymising_a_case_and_its_contact_leaves_no_marker(scene):
    for case in Case.objects.filter(pk__in=[scene.thread.pk, scene.phone_case.pk]):
        case_anonymise(case=case)
    contact_anonymise(contact=scene.zorbek)
    contact_anonymise(contact=scene.wilma)
    case_anonymise(case=scene.wilma_case)
    for marker in ZORBEK_MARKERS + WILMA_MARKERS:
        # The organisation's own notes are the organisation's: a case does not reach them.
        assert [p for p in places_of(marker) if p[0] != "cases_organisation"] == [], marker


def test_anonymising_twice_changes_nothing_the_second_time(scene):
    first = case_anonymise(case=scene.phone_case)
    assert first["calls"] == 1 and first["callbacks"] == 1
    assert case_anonymise(case=scene.phone_case) == {}
    assert contact_anonymise(contact=scene.zorbek)["contacts"] == 1
    assert contact_anonymise(contact=scene.zorbek) == {}
