"""Anonymising reaches every place a person's data is stored, and touches nobody else's."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from cases.models import Case, Contact, InboundMessage
from mailboxes.models import Mailbox
from privacy.anonymise.case import case_anonymise
from privacy.anonymise.contact import contact_anonymise
from privacy.anonymise.person import person_erase
from privacy.scrub import ANONYMISED
from privacy.selectors import person_find, person_records
from telephony.models import BlockedNumber, Call
from tests.privacy import scenario as s
from tests.privacy.stored import (
    database_tables,
    digits_pattern,
    mail_decoded,
    places_of,
    stored_values,
)

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
        "telephony_call",
        "telephony_callevent",
        "telephony_blockednumber",
        "mailboxes_mailbox",
    } <= tables
    number = set(places_of(digits_pattern(s.ZORBEK_DIGITS)))
    assert {
        ("cases_phonenumber", "number"),
        ("telephony_call", "call_id"),
        ("telephony_call", "from_raw"),
        ("telephony_call", "number"),
        ("telephony_callevent", "payload"),
        ("telephony_blockednumber", "number"),
    } <= number
    assert ("telephony_callevent", "payload") in places_of(s.ZORBEK)  # Voys's caller name


def test_the_reply_quotes_him_only_encoded_and_the_dump_reads_it_decoded(scene):
    raw = bytes(InboundMessage.objects.get(from_address=s.WILMA_EMAIL).raw)
    for plain in (b"Zorbek Quintaal", b"Gesprek met", b"Quintaal schreef", b"0546-98"):
        assert plain not in raw
    assert ("cases_inboundmessage", "raw (decoded)") in places_of("Quintaal schreef")
    assert ("cases_inboundmessage", "raw (decoded)") in places_of("Gesprek met Zorbek")


def test_the_dump_reads_every_table_in_the_database(scene):
    tables = set(database_tables())
    # Every model's table is among them (the dump lists the database, not our models).
    assert {m._meta.db_table for m in apps.get_models()} <= tables
    dumped = {table for table, _column, _text in stored_values()}
    with connection.cursor() as cursor:
        for table in tables - dumped:  # a table not seen held no text: check it has none
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                assert not any(isinstance(v, (str, bytes, memoryview)) and v for v in row), table


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
    assert (after.from_address, after.from_name, after.subject, after.esp_event_id) == (
        reply.from_address,
        reply.from_name,
        reply.subject.replace(s.ZORBEK, ANONYMISED),
        s.GRAPH_KEY,
    )
    # Her words stay; only his name and address in them are replaced.
    assert after.text_body == reply.text_body.replace("Zorbek", ANONYMISED).replace(
        s.ZORBEK_EMAIL, ANONYMISED
    )
    assert after.cc == ""
    assert (
        bytes(after.attachments.get().content)
        == s.WILMA_REPORT.replace(s.ZORBEK, ANONYMISED).encode()
    )
    # Her call as the phone system told it, with its raw events, is untouched.
    her_call = Call.objects.get(call_id=f"wilma-{s.WILMA_DIGITS}")
    assert (her_call.number, her_call.from_raw, her_call.contact) == (
        s.WILMA_PHONE,
        "0546111222",
        wilma,
    )
    assert her_call.events.get(kind="newCall").payload["caller"] == {"name": s.WILMA}
    wilma_case = Case.objects.get(pk=scene.wilma_case.pk)
    assert (wilma_case.subject, wilma_case.description) == (
        f"Vraag van {s.WILMA}",
        f"{s.WILMA} belde vanaf 0546 111 222.",
    )
    assert wilma_case.calls.get().number == s.WILMA_PHONE
    assert not hasattr(wilma_case, "anonymised")


def test_an_encoded_quote_of_him_in_her_mail_is_replaced_and_her_words_stay(scene):
    reply = InboundMessage.objects.get(from_address=s.WILMA_EMAIL)
    before = bytes(reply.raw)
    erase(s.ZORBEK_EMAIL)
    raw = bytes(InboundMessage.objects.get(pk=reply.pk).raw)
    decoded = mail_decoded(raw)
    for marker in ("Zorbek", "Quintaal", s.ZORBEK_EMAIL):
        assert marker.lower() not in decoded.lower()
    assert not digits_pattern(s.ZORBEK_DIGITS).search(decoded)
    assert "wij zijn met 40" in decoded and s.WILMA in decoded
    assert "Gesprek met [geanonimiseerd] over de audit." in decoded
    assert "[geanonimiseerd] schreef: bel mij op [geanonimiseerd]." in decoded

    # What did not name him is as it arrived, byte for byte: her headers, the structure.
    def lines(data: bytes) -> list[bytes]:
        keep = (b"From:", b"To:", b"Date:", b"Message-ID:", b"--b", b"Content-")
        return [line for line in data.split(b"\r\n") if line.startswith(keep)]

    assert lines(raw) == lines(before) and len(lines(raw)) > 15


def test_his_phone_system_calls_block_and_the_mailbox_error_go_her_call_stays(scene):
    erase("0546 98 76 54")
    assert not BlockedNumber.objects.exists()
    # The error text named his message: it goes whole; what went wrong stays.
    assert Mailbox.objects.values_list("problem", "problem_detail").get() == ("store", "")
    his = Call.objects.exclude(call_id=f"wilma-{s.WILMA_DIGITS}")
    assert his.count() == 2
    for call in his:
        assert (call.number, call.from_raw, call.contact) == ("", "", None)
        assert call.call_id.startswith("anonymised-")
        assert all(event.payload == {} for event in call.events.all())
        assert call.events.count() >= 2 and call.started_at is not None


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
