"""The case page: header, both PSO statuses, the merged timeline, changes, notes, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseChange, Note, Priority, PsoLevel, Status
from cases.timeline import case_timeline
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


@pytest.fixture
def case(staff_user):
    almelo = OrganisationFactory(
        name="Gemeente Almelo",
        kvk_number="12345678",
        pso=PsoLevel.ASPIRANT,
        pso__effective_from=timezone.localdate() - dt.timedelta(days=500),
    )
    jan = ContactFactory(
        name="Jan Jansen", organisation=almelo, phone="+31612345678", email="j@almelo.nl"
    )
    return CaseFactory(
        subject="Van Aspirant naar Trede 1", organisation=almelo, contact=jan, actor=staff_user
    )


def _url(name, case):
    return reverse(name, args=[case.reference])


def _change_data(case, **overrides):
    data = {
        "version": case.version,
        "seen_at": case.updated_at.isoformat(),
        "status": case.status,
        "priority": case.priority,
        "category": case.category_id or "",
        "assignee": case.assignee_id or "",
    }
    data.update(overrides)
    return data


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["case_detail", "case_change", "case_note_add"])
def test_anonymous_is_sent_to_sign_in(client, case, name):
    response = client.get(_url(name, case))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_open_a_case(request, case, who):
    assert request.getfixturevalue(who).get(_url("case_detail", case)).status_code == 200


@pytest.mark.parametrize(
    ("method", "name"),
    [("post", "case_detail"), ("get", "case_change"), ("get", "case_note_add")],
)
def test_wrong_methods_are_refused(staff_client, case, method, name):
    assert getattr(staff_client, method)(_url(name, case)).status_code == 405


def test_unknown_reference_is_not_found(staff_client):
    assert staff_client.get(reverse("case_detail", args=["PSO-1999-00009"])).status_code == 404


# --- What the page shows --------------------------------------------------------------------------


def test_header_shows_the_pso_status_at_opening_and_now(staff_client, case):
    services.pso_status_record(
        organisation=case.organisation,
        level=PsoLevel.TREDE_1,
        effective_from=timezone.localdate(),
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    body = staff_client.get(_url("case_detail", case)).content.decode()
    assert case.reference in body
    assert "Van Aspirant naar Trede 1" in body
    assert "pso-aspirant" in body  # when opened
    assert "pso-trede_1" in body  # now
    assert "expires soon" in body  # the current status ends in 10 days
    assert "06 12345678" in body
    assert "j@almelo.nl" in body


def test_the_status_now_comes_from_the_history_when_the_kept_level_is_out_of_date(
    staff_client, case
):
    # The kept level says Trede 3 but for a stretch of days that has passed (the roll-over
    # has not run): the page must read the history, where Aspirant is in force.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    type(case.organisation).objects.filter(pk=case.organisation.pk).update(
        pso_level_now=PsoLevel.TREDE_3, pso_now_since=yesterday, pso_now_through=yesterday
    )
    body = staff_client.get(_url("case_detail", case)).content.decode()
    assert "pso-trede_3" not in body
    assert body.count("pso-aspirant") >= 2  # when opened, and now


def test_timeline_merges_calls_notes_and_changes_in_time_order(staff_user, manager_user, case):
    start = case.created_at
    services.call_log(
        case=case,
        actor=staff_user,
        call=services.CallDetails(
            number="+31612345678", started_at=start + dt.timedelta(minutes=1)
        ),
    )
    Note.objects.create(case=case, author=manager_user, body="Eerst de zelfscan", created_at=start)
    services.case_update(
        case=case,
        actor=manager_user,
        at=start + dt.timedelta(minutes=5),
        assignee=staff_user,
        category=category("trede"),
        priority=Priority.URGENT,
    )
    entries = case_timeline(case)
    assert [e.kind for e in entries] == ["note", "call", "change", "change"]
    # Answering the call opened the case: the call comes before the change it caused.
    assert [(line.field, line.old, line.new) for line in entries[2].changes] == [
        ("status", "New", "Open")
    ]
    grouped = {line.field: (line.label, line.old, line.new) for line in entries[3].changes}
    assert grouped == {
        "assignee": ("assignee", "nobody", "Sanne de Vries"),
        "category": ("category", "—", "Trede-certificering"),
        "priority": ("priority", "Normal", "Urgent"),
    }
    assert entries[3].actor_name == "Marco Jansen"


def test_timeline_names_a_removed_category_instead_of_failing(case, staff_user):
    CaseChange.objects.create(
        case=case,
        actor=staff_user,
        at=timezone.now(),
        field="category",
        old_value="",
        new_value="999",
    )
    line = case_timeline(case)[-1].changes[0]
    assert line.new == "#999 (removed)"


def test_detail_page_query_count_does_not_grow_with_the_timeline(staff_client, staff_user, case):
    url = _url("case_detail", case)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == 200
        return len(queries)

    def add_one_of_each(i):
        services.note_add(case=case, author=staff_user, body=f"notitie {i}")
        services.call_log(
            case=case,
            actor=staff_user,
            call=services.CallDetails(number="+31612345678", started_at=timezone.now()),
        )
        services.case_update(
            case=case,
            actor=staff_user,
            priority=Priority.URGENT if i % 2 == 0 else Priority.NORMAL,
            category=category("sroi" if i % 2 else "trede"),
            assignee=staff_user if i % 2 == 0 else None,
        )

    add_one_of_each(0)
    few = count()
    for i in range(1, 11):
        add_one_of_each(i)
    assert count() == few
    assert len(case_timeline(case)) > 30


# --- Changing the case -------------------------------------------------------------------------


def test_change_status_priority_category_and_assignee(staff_client, staff_user, case):
    response = staff_client.post(
        _url("case_change", case),
        _change_data(
            case,
            status=Status.WAITING,
            priority=Priority.URGENT,
            category=category("aspirant").pk,
            assignee=staff_user.pk,
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.priority, case.assignee) == (
        Status.WAITING,
        Priority.URGENT,
        staff_user,
    )
    assert case.category.slug == "aspirant"
    assert CaseChange.objects.filter(case=case, actor=staff_user).count() == 4


def test_assign_to_me(staff_client, staff_user, case):
    response = staff_client.post(
        _url("case_change", case),
        {"assign_to_me": "1", "version": case.version, "seen_at": case.updated_at.isoformat()},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == staff_user


def test_bad_change_values_show_the_form_again(staff_client, case):
    response = staff_client.post(_url("case_change", case), _change_data(case, status="gone"))
    assert response.status_code == 200
    assert "status" in response.context["change_form"].errors
    case.refresh_from_db()
    assert case.version == 1


def test_saving_without_changes_says_so(staff_client, case):
    response = staff_client.post(_url("case_change", case), _change_data(case), follow=True)
    assert b"Nothing was changed" in response.content
    assert not CaseChange.objects.exists()


def test_second_of_two_concurrent_edits_gets_the_conflict_and_the_first_stands(
    staff_user, manager_user, case
):
    sanne, marco = Client(), Client()
    sanne.force_login(staff_user)
    marco.force_login(manager_user)
    url = _url("case_detail", case)
    sanne_form = sanne.get(url).context["change_form"]
    marco_form = marco.get(url).context["change_form"]

    def posted(form, **changes):
        data = {name: form[name].value() for name in form.fields}
        data = {k: ("" if v is None else v) for k, v in data.items()}
        data.update(changes)
        return data

    first = marco.post(_url("case_change", case), posted(marco_form, priority=Priority.URGENT))
    assert first.status_code == 302
    second = sanne.post(
        _url("case_change", case), posted(sanne_form, status=Status.WAITING, assignee=staff_user.pk)
    )

    assert second.status_code == 409
    body = second.content.decode()
    assert "someone else changed this case" in body
    assert "Marco Jansen changed priority from “Normal” to “Urgent”" in body
    case.refresh_from_db()
    assert case.priority == Priority.URGENT
    assert case.status == Status.NEW
    assert case.assignee is None
    # Sanne's choices are kept; Marco's change shows where she left the field alone.
    again = second.context["change_form"]
    assert again["status"].value() == Status.WAITING
    assert again["assignee"].value() == str(staff_user.pk)
    assert again["priority"].value() == Priority.URGENT
    assert int(again["version"].value()) == case.version

    # Saving again, now on top of Marco's change, goes through and keeps it.
    third = sanne.post(_url("case_change", case), posted(again))
    assert third.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.priority, case.assignee) == (
        Status.WAITING,
        Priority.URGENT,
        staff_user,
    )


def test_assign_to_me_on_a_stale_page_is_refused(staff_client, manager_user, case):
    seen = {"assign_to_me": "1", "version": case.version, "seen_at": case.updated_at.isoformat()}
    services.case_update(case=case, actor=manager_user, assignee=manager_user)
    response = staff_client.post(_url("case_change", case), seen)
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.assignee == manager_user


# --- Notes --------------------------------------------------------------------------------------


def test_add_an_internal_note(staff_client, staff_user, case):
    response = staff_client.post(
        _url("case_note_add", case), {"body": "Zelfscan eerst laten doen."}, follow=True
    )
    assert response.status_code == 200
    note = Note.objects.get()
    assert (note.case, note.author, note.body) == (case, staff_user, "Zelfscan eerst laten doen.")
    assert b"Zelfscan eerst laten doen." in response.content


def test_empty_note_is_refused_with_a_message(staff_client, case):
    response = staff_client.post(_url("case_note_add", case), {"body": "   "})
    assert response.status_code == 200
    assert "body" in response.context["note_form"].errors
    assert not Note.objects.exists()


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_change_a_case_and_add_notes(request, who, case):
    client = request.getfixturevalue(who)
    changed = client.post(_url("case_change", case), _change_data(case, status=Status.OPEN))
    noted = client.post(_url("case_note_add", case), {"body": "Gebeld, wacht op stukken."})
    assert (changed.status_code, noted.status_code) == (302, 302)
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.notes.count() == 1
