"""seed_demo: a believable helpdesk, made through the services, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from cases.models import (
    Case,
    CaseChange,
    Contact,
    Note,
    Organisation,
    PhoneCall,
    PhoneNumber,
    PsoLevel,
    PsoStatus,
)
from helpdesk.demo.data import ACCOUNTS, MARKER_NAME
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
