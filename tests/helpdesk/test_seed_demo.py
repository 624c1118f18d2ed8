"""seed_demo: a believable helpdesk, made through the services, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cases.models import (
    CannedAnswer,
    Case,
    CaseChange,
    CaseMerge,
    Contact,
    HelpdeskSignature,
    InboundMessage,
    InboundOutcome,
    MailAttachment,
    Note,
    Organisation,
    OutboundMessage,
    OutboundStatus,
    PhoneCall,
    PhoneNumber,
    Priority,
    PsoLevel,
    PsoStatus,
    Signature,
    Status,
)
from cases.replies import signature_of
from helpdesk.demo.data import ACCOUNTS, MARKER_NAME
from scheduling.sla_warnings import sla_warnings_send
from staff.roles import MANAGER_GROUP, STAFF_GROUP, is_manager


def all_counts() -> dict[str, int]:
    models = [Organisation, PsoStatus, Contact, PhoneNumber, Case, PhoneCall, Note, CaseChange]
    return {m.__name__: m.objects.count() for m in models} | {
        "users": get_user_model().objects.count()
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (it is the slow part) and undo it afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", skip_checks=True)
            first = all_counts()
            call_command("seed_demo", skip_checks=True)
            second = all_counts()
            yield first, second
            transaction.set_rollback(True)


@pytest.fixture
def counts(seeded, db):
    return seeded


def test_it_creates_about_fifty_organisations_and_three_hundred_cases(counts):
    first, _ = counts
    assert 45 <= first["Organisation"] <= 55
    assert first["Case"] == 300
    assert first["PhoneCall"] > 150
    assert first["Note"] > 50
    assert first["CaseChange"] > 100


def test_a_second_run_changes_no_counts(counts):
    first, second = counts
    assert second == first


def test_every_rung_of_the_ladder_is_there_and_almelo_is_trede_3(counts):
    today = timezone.localdate()
    almelo = Organisation.objects.get(name=MARKER_NAME)
    assert almelo.status_on(today).level == PsoLevel.TREDE_3
    assert almelo.pso_statuses.count() >= 3
    levels_now = {
        (o.status_on(today).level if o.status_on(today) else PsoLevel.NONE)
        for o in Organisation.objects.all()
    }
    assert levels_now == set(PsoLevel.values)


def test_some_statuses_expire_within_sixty_days(counts):
    today = timezone.localdate()
    soon = [
        o
        for o in Organisation.objects.all()
        if (s := o.status_on(today)) is not None and s.expires_within(today, 60)
    ]
    assert 3 <= len(soon) <= 12


def test_cases_span_three_months_with_calls_outside_phone_hours(counts):
    now = timezone.now()
    oldest = Case.objects.order_by("created_at").first().created_at
    assert now - dt.timedelta(days=92) <= oldest <= now - dt.timedelta(days=60)
    assert PhoneCall.objects.filter(inside_phone_hours=False).exists()
    assert PhoneCall.objects.filter(inside_phone_hours=True).exists()
    assert Case.objects.exclude(status__in=["new", "open"]).exists()


def test_contacts_have_dutch_phone_numbers_and_emails(counts):
    contact = Contact.objects.exclude(organisation=None).first()
    assert contact.email.endswith("." + "nl")
    assert contact.phones.get().number.startswith("+31")


def test_both_demo_accounts_sign_in_with_their_roles(counts, client, settings):
    # The accounts were made once for the module, with the default hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for account in ACCOUNTS:
        assert client.login(username=account.username, password=account.password)
    user_model = get_user_model()
    sanne = user_model.objects.get(username="sanne")
    marco = user_model.objects.get(username="marco")
    assert sanne.groups.filter(name=STAFF_GROUP).exists() and not is_manager(sanne)
    assert marco.groups.filter(name=MANAGER_GROUP).exists() and marco.is_staff


def test_the_command_prints_the_log_ins(counts, capsys):
    call_command("seed_demo", skip_checks=True)
    out = capsys.readouterr().out
    assert "nothing changed" in out
    for account in ACCOUNTS:
        assert f"{account.username} / {account.password}" in out


# --- The workspace in the demo: mail threads, canned answers, a merged pair ---------------


def test_every_mail_case_holds_its_thread(counts):
    mail_cases = Case.objects.filter(channel="email", merged_into__isnull=True)
    assert mail_cases.count() >= 80
    assert not mail_cases.filter(inbound_messages__isnull=True).exists()
    # Each has its acknowledgement; many an answer by mail, and the customer's reply to it.
    assert not mail_cases.exclude(outbound_messages__automatic=True).exists()
    assert OutboundMessage.objects.filter(automatic=False, sent_by__isnull=False).count() >= 40
    assert InboundMessage.objects.filter(outcome=InboundOutcome.REPLY).count() >= 15
    replied = InboundMessage.objects.filter(outcome=InboundOutcome.REPLY).first()
    assert replied.received_at < timezone.now() - dt.timedelta(minutes=30)


def test_demo_mail_is_dated_in_the_past_and_nothing_waits_to_be_sent(counts):
    assert not OutboundMessage.objects.exclude(status=OutboundStatus.SENT).exists()
    recent = timezone.now() - dt.timedelta(minutes=30)
    assert not OutboundMessage.objects.filter(created_at__gt=recent).exists()
    for case in Case.objects.filter(channel="email", first_response_at__isnull=False)[:20]:
        assert case.first_response_at < recent


def test_the_showcase_cases_are_there(counts):
    attached = MailAttachment.objects.get(filename="uittreksel-kvk.pdf")
    assert attached.message.case.outbound_messages.filter(automatic=False).exists()
    urgent = Case.objects.get(subject__startswith="Spoed:")
    assert urgent.priority == Priority.URGENT and urgent.first_response_at is None
    assert urgent.due_at < timezone.now()
    waiting = Case.objects.get(subject="Aspirant-status: welke stukken moeten wij nog sturen?")
    assert waiting.status == Status.WAITING and waiting.sla_paused_since is not None
    merged = Case.objects.get(merged_into__isnull=False)
    survivor = merged.merged_into
    assert merged.status == Status.CLOSED
    assert survivor.inbound_messages.exists() and survivor.calls.exists()
    assert CaseMerge.objects.filter(source=merged, target=survivor).exists()


def test_canned_answers_and_a_signature_are_ready(counts):
    assert set(CannedAnswer.objects.values_list("short_name", flat=True)) >= {
        "aspirant",
        "terugbellen",
    }
    sanne = get_user_model().objects.get(username="sanne")
    assert "Sanne de Vries" in Signature.objects.get(user=sanne).text
    reply = OutboundMessage.objects.filter(sent_by=sanne, automatic=False).first()
    assert "Helpdesk PSO Nederland" in reply.body_text
    # Marco has none of his own: below his replies goes the helpdesk's, with his name.
    marco = get_user_model().objects.get(username="marco")
    assert not Signature.objects.filter(user=marco).exists()
    assert HelpdeskSignature.objects.get().text_en.startswith("Kind regards")
    below_marcos = signature_of(marco, "nl")
    assert "Marco" in below_marcos and "Postbus 1234, 2500 AA Den Haag" in below_marcos


def test_starting_the_demo_mails_no_old_warnings(counts, mailoutbox):
    assert sla_warnings_send(now=timezone.now()) == 0
    assert mailoutbox == []
