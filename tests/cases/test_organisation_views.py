"""Organisation pages: list, detail with PSO history, adding a status, editing, for each role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Channel, Contact, Organisation, PhoneNumber, PsoLevel, PsoStatus, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")


def make_org(name: str, level: str | None = None, **fields) -> Organisation:
    org = Organisation.objects.create(name=name, **fields)
    if level:
        today = timezone.localdate()
        services.pso_status_record(
            organisation=org,
            level=level,
            effective_from=today - dt.timedelta(days=400),
            valid_until=fields.get("until") or today + dt.timedelta(days=700),
        )
    return org


@pytest.fixture
def almelo(db) -> Organisation:
    today = timezone.localdate()
    org = Organisation.objects.create(
        name="Gemeente Almelo", kvk_number="08175987", kind="gemeente", city="Almelo"
    )
    PhoneNumber.objects.create(organisation=org, number="+31546541111")
    contact = Contact.objects.create(name="Anke Bos", organisation=org, email="a.bos@almelo.nl")
    PhoneNumber.objects.create(contact=contact, number="+31546541234")
    services.pso_status_record(
        organisation=org,
        level=PsoLevel.TREDE_2,
        effective_from=today - dt.timedelta(days=1500),
        valid_until=today - dt.timedelta(days=400),
        reference="OLD-2",
    )
    services.pso_status_record(
        organisation=org,
        level=PsoLevel.TREDE_3,
        effective_from=today - dt.timedelta(days=399),
        valid_until=today + dt.timedelta(days=30),
        reference="PSO-3",
    )
    return org


def names(response) -> list[str]:
    return [o.name for o in response.context["organisations"]]


# --- Who may see what ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["organisation_list", "organisation_import"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_anonymous_visitors_cannot_see_an_organisation(client, almelo):
    response = client.get(reverse("organisation_detail", args=[almelo.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_see_the_list_and_the_detail(request, who, almelo):
    client = request.getfixturevalue(who)
    assert client.get(reverse("organisation_list")).status_code == 200
    assert client.get(reverse("organisation_detail", args=[almelo.pk])).status_code == 200


# --- The list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_by_name_kvk_city_and_phone_in_any_notation(staff_client, almelo):
    make_org("Soweco", city="Almelo")
    contact_org = make_org("Bouwbedrijf Ter Horst", kvk_number="41024455", city="Enschede")
    contact = Contact.objects.create(name="Piet", organisation=contact_org)
    PhoneNumber.objects.create(contact=contact, number="+31612345678")
    url = reverse("organisation_list")

    assert names(staff_client.get(url, {"q": "almelo"})) == ["Gemeente Almelo", "Soweco"]
    assert names(staff_client.get(url, {"q": "0817 5987"})) == ["Gemeente Almelo"]
    assert names(staff_client.get(url, {"q": "Enschede"})) == ["Bouwbedrijf Ter Horst"]
    assert names(staff_client.get(url, {"q": "0546-541111"})) == ["Gemeente Almelo"]
    assert names(staff_client.get(url, {"q": "06 1234 5678"})) == ["Bouwbedrijf Ter Horst"]


@pytest.mark.django_db
def test_filters_by_kind_current_level_and_expiring(staff_client, almelo):
    make_org("Soweco", PsoLevel.TREDE_2, kind="sw_bedrijf")
    make_org("Nieuw Bedrijf")
    url = reverse("organisation_list")

    assert names(staff_client.get(url, {"kind": "sw_bedrijf"})) == ["Soweco"]
    # Almelo's Trede 2 lapsed; Trede 3 is what counts today.
    assert names(staff_client.get(url, {"level": "trede_3"})) == ["Gemeente Almelo"]
    assert names(staff_client.get(url, {"level": "trede_2"})) == ["Soweco"]
    assert names(staff_client.get(url, {"level": "none"})) == ["Nieuw Bedrijf"]
    assert names(staff_client.get(url, {"expiring": "on"})) == ["Gemeente Almelo"]


@pytest.mark.django_db
def test_the_list_flags_a_status_that_expires_soon(staff_client, almelo):
    make_org("Soweco", PsoLevel.TREDE_2)
    content = staff_client.get(reverse("organisation_list")).content.decode()
    assert content.count('class="pso-expiring"') == 1


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_few_or_many_organisations(
    staff_client, django_assert_max_num_queries
):
    url = reverse("organisation_list")
    for i in range(3):
        make_org(f"Bedrijf {i:02}", PsoLevel.TREDE_1)
    staff_client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(8) as few:
        staff_client.get(url)
    for i in range(3, 25):
        make_org(f"Bedrijf {i:02}", PsoLevel.ASPIRANT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert len(response.context["organisations"]) == 25


@pytest.mark.django_db
def test_the_list_is_paginated_and_keeps_the_filters(staff_client):
    for i in range(30):
        make_org(f"Gemeente {i:02}", kind="gemeente")
    response = staff_client.get(reverse("organisation_list"), {"kind": "gemeente", "page": 2})
    assert names(response) == [f"Gemeente {i:02}" for i in range(25, 30)]
    assert "kind=gemeente&amp;page=1" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_filter_value_is_reported_not_a_server_error(staff_client):
    make_org("Soweco")
    response = staff_client.get(reverse("organisation_list"), {"level": "trede_9"})
    assert response.status_code == 200
    assert names(response) == ["Soweco"]


# --- The detail ------------------------------------------------------------------------------


def test_detail_shows_the_history_with_the_status_in_force_marked_and_flagged(staff_client, almelo):
    response = staff_client.get(reverse("organisation_detail", args=[almelo.pk]))

    history = response.context["history"]
    assert [e.status.reference for e in history] == ["PSO-3", "OLD-2"]
    assert [e.in_force for e in history] == [True, False]
    assert [e.expiring for e in history] == [True, False]
    content = response.content.decode()
    assert content.count("in force today") == 1
    assert "expires soon" in content
    assert "0546 541 111" in content
    assert "Entered by hand" in content


def test_detail_lists_open_cases_first(staff_client, staff_user, almelo):
    now = timezone.now()
    older_open = services.case_open(
        subject="Oud open",
        channel=Channel.PHONE,
        actor=staff_user,
        organisation=almelo,
        created_at=now - dt.timedelta(days=20),
    )
    closed = services.case_open(
        subject="Gesloten",
        channel=Channel.EMAIL,
        actor=staff_user,
        organisation=almelo,
        created_at=now - dt.timedelta(days=1),
    )
    services.case_update(case=closed, actor=staff_user, status=Status.CLOSED)
    newer_open = services.case_open(
        subject="Nieuw open",
        channel=Channel.PHONE,
        actor=staff_user,
        organisation=almelo,
        created_at=now - dt.timedelta(days=2),
    )

    response = staff_client.get(reverse("organisation_detail", args=[almelo.pk]))

    assert [c.pk for c in response.context["cases"]] == [newer_open.pk, older_open.pk, closed.pk]


def test_detail_costs_the_same_queries_however_long_the_history(
    staff_client, almelo, django_assert_max_num_queries
):
    url = reverse("organisation_detail", args=[almelo.pk])
    staff_client.get(url)
    # 12, and the access log's one insert (privacy.middleware).
    with django_assert_max_num_queries(13) as before:
        staff_client.get(url)
    for year in range(2000, 2010):
        services.pso_status_record(
            organisation=almelo,
            level=PsoLevel.TREDE_1,
            effective_from=dt.date(year, 1, 1),
            valid_until=dt.date(year, 12, 31),
        )
        contact = Contact.objects.create(name=f"Contact {year}", organisation=almelo)
        PhoneNumber.objects.create(contact=contact, number=f"+316123{year}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        staff_client.get(url)


@pytest.mark.django_db
def test_an_unknown_organisation_is_404(staff_client):
    assert staff_client.get(reverse("organisation_detail", args=[999])).status_code == 404


# --- Adding a status -------------------------------------------------------------------------


def test_staff_record_an_aspirant_status_that_runs_two_years(staff_client, almelo):
    response = staff_client.post(
        reverse("pso_status_add", args=[almelo.pk]),
        {"level": "aspirant", "effective_from": "2025-09-01", "reference": "ASP-9"},
    )

    assert response.status_code == 302
    status = almelo.pso_statuses.get(reference="ASP-9")
    assert status.valid_until == dt.date(2027, 9, 1)
    assert status.source == "manual"


def test_a_bad_status_is_reshown_with_the_message_and_what_was_typed(staff_client, almelo):
    response = staff_client.post(
        reverse("pso_status_add", args=[almelo.pk]),
        {
            "level": "trede_1",
            "effective_from": "2025-09-01",
            "valid_until": "2025-01-01",
            "reference": "TYPED-REF",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "cannot be before" in content
    assert "TYPED-REF" in content
    assert not PsoStatus.objects.filter(reference="TYPED-REF").exists()


def test_with_htmx_only_the_history_section_comes_back(staff_client, almelo):
    response = staff_client.post(
        reverse("pso_status_add", args=[almelo.pk]),
        {"level": "trede_1", "effective_from": "2025-09-01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith("<section")
    assert "<html" not in content
    assert almelo.pso_statuses.filter(level="trede_1").exists()


def test_adding_a_status_needs_post(staff_client, almelo):
    assert staff_client.get(reverse("pso_status_add", args=[almelo.pk])).status_code == 405


def test_a_signed_in_user_without_a_role_cannot_add_a_status(client, almelo):
    client.force_login(UserFactory(username="nobody"))
    response = client.post(
        reverse("pso_status_add", args=[almelo.pk]),
        {"level": "trede_1", "effective_from": "2025-09-01"},
    )
    assert response.status_code == 403


# --- Adding and editing an organisation -----------------------------------------------------


def test_editing_with_a_bad_kvk_number_reshows_the_form_with_everything_typed(staff_client, almelo):
    other = make_org("Soweco", kvk_number="06033410")
    response = staff_client.post(
        reverse("organisation_edit", args=[almelo.pk]),
        {
            "name": "Gemeente Almelo (nieuw)",
            "kvk_number": other.kvk_number,
            "kind": "gemeente",
            "city": "Almelo",
            "email_domains": "almelo.nl",
            "phone_numbers": "0546 541 111",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "already belongs to “Soweco”" in content
    assert "Gemeente Almelo (nieuw)" in content
    almelo.refresh_from_db()
    assert almelo.name == "Gemeente Almelo"


def test_staff_edit_an_organisation(staff_client, almelo):
    response = staff_client.post(
        reverse("organisation_edit", args=[almelo.pk]),
        {
            "name": "Gemeente Almelo",
            "kvk_number": "08175987",
            "kind": "gemeente",
            "city": "Almelo",
            "website": "almelo.nl",
            "email_domains": "Almelo.nl",
            "phone_numbers": "0546 541 111\n0546 541 222",
        },
    )

    assert response.status_code == 302
    almelo.refresh_from_db()
    assert almelo.website == "https://almelo.nl"
    assert almelo.phones.count() == 2


@pytest.mark.django_db
def test_staff_add_an_organisation(staff_client):
    response = staff_client.post(
        reverse("organisation_add"),
        {"name": "Soweco", "kvk_number": "", "kind": "sw_bedrijf", "phone_numbers": ""},
    )
    org = Organisation.objects.get(name="Soweco")
    assert response["Location"] == reverse("organisation_detail", args=[org.pk])
