"""Organisations: what is accepted, what is refused with which message, and the status history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.forms_organisations import OrganisationForm, PsoStatusForm, parse_phone_lines
from cases.models import Organisation, PsoLevel
from cases.models.organisations import parse_email_domains

pytestmark = pytest.mark.usefixtures("english")


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Gemeente Almelo",
        "kvk_number": "08175987",
        "kind": "gemeente",
        "city": "Almelo",
        "website": "www.almelo.nl",
        "email_domains": "Almelo.nl",
        "notes": "",
        "phone_numbers": "0546 541 111\n+31 546 541 111\n06-12345678",
    }
    data.update(overrides)
    return data


# --- Email domains (no database) ---------------------------------------------------------


def test_email_domains_are_lowercased_deduplicated_and_split_on_lines_or_commas():
    assert parse_email_domains("Almelo.NL\n@almelo.nl, sub.almelo.nl\n\n") == [
        "almelo.nl",
        "sub.almelo.nl",
    ]


@pytest.mark.parametrize(
    "domain", ["gmail.com", "hotmail.com", "outlook.com", "live.nl", "ziggo.nl", "kpnmail.nl"]
)
def test_free_mail_domains_are_refused_by_name(domain):
    with pytest.raises(ValidationError) as exc:
        parse_email_domains(f"almelo.nl\n{domain}")
    assert domain in exc.value.messages[0]
    assert "free email provider" in exc.value.messages[0]


def test_every_bad_domain_is_named_at_once():
    with pytest.raises(ValidationError) as exc:
        parse_email_domains("almelo\nicloud.com\nex ample")
    assert len(exc.value.messages) == 4  # "almelo", "icloud.com", "ex", "ample"


def test_phone_lines_are_normalised_and_each_bad_line_named():
    assert parse_phone_lines("0546 541 111\n+31546541111\n") == ["+31546541111"]
    with pytest.raises(ValidationError) as exc:
        parse_phone_lines("0546 541 111\n12\nabc")
    assert len(exc.value.messages) == 2
    assert "“12”" in exc.value.messages[0]


# --- The model and its form ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_organisation_is_saved_with_normalised_domains_phones_and_website():
    form = OrganisationForm(data=form_data())
    assert form.is_valid(), form.errors
    org = form.save()

    assert org.website == "https://www.almelo.nl"
    assert org.email_domains == "almelo.nl"
    assert sorted(org.phones.values_list("number", flat=True)) == ["+31546541111", "+31612345678"]


@pytest.mark.django_db
def test_editing_phone_numbers_keeps_existing_rows_and_removes_dropped_ones():
    form = OrganisationForm(data=form_data())
    org = form.save() if form.is_valid() else None
    kept = org.phones.get(number="+31546541111")

    form = OrganisationForm(data=form_data(phone_numbers="0546-541111"), instance=org)
    assert form.is_valid(), form.errors
    form.save()

    assert list(org.phones.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk_number", "1234567", "A KvK number has exactly 8 digits."),
        ("kvk_number", "1234567a", "A KvK number has exactly 8 digits."),
        ("email_domains", "almelo.nl\ngmail.com", "“gmail.com” is a free email provider"),
        ("phone_numbers", "0546 541 111\n12", "“12” is not a phone number."),
        ("website", "not a website", "Enter a valid URL."),
        ("name", "A" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_on_its_field_and_keeps_what_was_typed(
    field, value, message
):
    form = OrganisationForm(data=form_data(**{field: value}))

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert form[field].value() == value
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_duplicate_kvk_number_names_the_organisation_that_has_it():
    Organisation.objects.create(name="Gemeente Almelo", kvk_number="08175987")
    form = OrganisationForm(data=form_data(name="Almelo (dubbel)", kvk_number="0817 5987"))

    assert not form.is_valid()
    assert form.errors["kvk_number"] == [
        "KvK number 08175987 already belongs to “Gemeente Almelo”."
    ]


@pytest.mark.django_db
def test_an_organisation_keeps_its_own_kvk_number_when_edited():
    org = Organisation.objects.create(name="Gemeente Almelo", kvk_number="08175987")
    form = OrganisationForm(data=form_data(city="Almelo-Noord"), instance=org)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_organisations_without_kvk_number_may_be_many():
    Organisation.objects.create(name="Stichting A")
    form = OrganisationForm(data=form_data(kvk_number="", name="Stichting B"))
    assert form.is_valid(), form.errors


# --- Status history --------------------------------------------------------------------------


@pytest.fixture
def almelo(db) -> Organisation:
    return Organisation.objects.create(name="Gemeente Almelo", kvk_number="08175987")


def record(org: Organisation, level: str, start: dt.date, until: dt.date | None = None):
    return services.pso_status_record(
        organisation=org, level=level, effective_from=start, valid_until=until
    )


def test_status_on_a_date_follows_the_history(almelo):
    record(almelo, PsoLevel.ASPIRANT, dt.date(2021, 1, 1))
    record(almelo, PsoLevel.TREDE_1, dt.date(2022, 6, 1), dt.date(2025, 5, 31))
    record(almelo, PsoLevel.TREDE_3, dt.date(2024, 3, 1), dt.date(2027, 2, 28))

    assert almelo.status_on(dt.date(2020, 12, 31)) is None
    assert almelo.status_on(dt.date(2021, 6, 1)).level == PsoLevel.ASPIRANT
    assert almelo.status_on(dt.date(2023, 1, 1)).level == PsoLevel.TREDE_1
    assert almelo.status_on(dt.date(2024, 3, 1)).level == PsoLevel.TREDE_3
    assert almelo.status_on(dt.date(2027, 3, 1)) is None


def test_an_aspirant_status_without_end_runs_two_years(almelo):
    status = record(almelo, PsoLevel.ASPIRANT, dt.date(2024, 2, 29))
    assert status.valid_until == dt.date(2026, 2, 28)
    assert record(almelo, PsoLevel.TREDE_1, dt.date(2025, 1, 1)).valid_until is None


def test_a_status_is_flagged_when_it_ends_within_the_warning_period(almelo):
    status = record(almelo, PsoLevel.TREDE_2, dt.date(2023, 1, 1), dt.date(2025, 3, 1))
    assert status.expires_within(dt.date(2025, 1, 1), 60)
    assert not status.expires_within(dt.date(2024, 12, 1), 60)
    assert not status.expires_within(dt.date(2025, 3, 2), 60)


def test_the_status_form_records_through_the_service_with_the_aspirant_default(almelo):
    form = PsoStatusForm(
        data={"level": "aspirant", "effective_from": "01-09-2025", "reference": "ASP-1"},
        organisation=almelo,
    )
    assert form.is_valid(), form.errors
    status = form.save()
    assert status.pk and status.valid_until == dt.date(2027, 9, 1)


def test_the_status_form_refuses_an_end_before_the_start(almelo):
    form = PsoStatusForm(
        data={"level": "trede_1", "effective_from": "2025-09-01", "valid_until": "2025-01-01"},
        organisation=almelo,
    )
    assert not form.is_valid()
    assert "cannot be before" in str(form.errors)
    assert almelo.pso_statuses.count() == 0
