"""Saved filters of the case list: per person, shared only by a manager, removed only by
the owner; "waiting on the customer for more than 5 days" as a filter of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Priority, SavedFilter, Status
from tests.factories import CaseFactory, ManagerUserFactory, StaffUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


def _save(client, name, query, **extra):
    return client.post(reverse("case_filter_save"), {"name": name, "query": query, **extra})


def test_my_urgent_cases_saved_and_chosen_again(staff_client, staff_user):
    mine = CaseFactory(subject="Spoed van mij", priority=Priority.URGENT, assignee=staff_user)
    CaseFactory(subject="Spoed van een ander", priority=Priority.URGENT)
    CaseFactory(subject="Gewoon van mij", assignee=staff_user)

    answer = _save(staff_client, "  mijn   spoedzaken ", "assignee=me&priority=urgent&page=3")
    assert answer.status_code == 302
    saved = SavedFilter.objects.get()
    assert (saved.owner, saved.name, saved.query) == (
        staff_user,
        "mijn spoedzaken",
        "priority=urgent&assignee=me",
    )
    listing = staff_client.get(reverse("case_list")).content.decode()
    assert "mijn spoedzaken" in listing
    chosen = staff_client.get(f"{reverse('case_list')}?{saved.query}").content.decode()
    assert mine.subject in chosen and "Spoed van een ander" not in chosen
    assert 'aria-current="page">mijn spoedzaken' in chosen


def test_waiting_on_the_customer_for_more_than_five_days(staff_client):
    long_ago = CaseFactory(subject="Wacht al een week")
    services.case_update(
        case=long_ago,
        actor=None,
        status=Status.WAITING,
        at=timezone.now() - dt.timedelta(days=7),
    )
    recent = CaseFactory(subject="Wacht sinds gisteren")
    services.case_update(
        case=recent, actor=None, status=Status.WAITING, at=timezone.now() - dt.timedelta(days=1)
    )
    page = staff_client.get(reverse("case_list"), {"waiting_days": "5"}).content.decode()
    assert "Wacht al een week" in page and "Wacht sinds gisteren" not in page
    wrong = staff_client.get(reverse("case_list"), {"waiting_days": "vijf"})
    assert wrong.status_code == 200 and "were left out" in wrong.content.decode()


def test_filters_are_per_person(client, staff_user):
    other = StaffUserFactory()
    services.saved_filter_save(owner=other, name="van een ander", query="priority=urgent")
    client.force_login(staff_user)
    assert "van een ander" not in client.get(reverse("case_list")).content.decode()


def test_saving_again_under_the_same_name_replaces(staff_client, staff_user):
    _save(staff_client, "lijst", "priority=urgent")
    _save(staff_client, "lijst", "status=waiting")
    assert list(SavedFilter.objects.values_list("query", flat=True)) == ["status=waiting"]


def test_a_manager_shares_a_filter_staff_cannot(client, staff_user):
    manager = ManagerUserFactory(first_name="Marco", last_name="Jansen")
    client.force_login(manager)
    _save(client, "spoed voor iedereen", "priority=urgent", shared="on")
    client.force_login(staff_user)
    page = client.get(reverse("case_list")).content.decode()
    assert "spoed voor iedereen" in page and "shared by Marco Jansen" in page
    _save(client, "ook delen", "priority=urgent", shared="on")
    assert SavedFilter.objects.get(name="ook delen").shared is False


def test_only_the_owner_removes_a_filter(client, staff_user):
    manager = ManagerUserFactory()
    shared = services.saved_filter_save(
        owner=manager, name="gedeeld", query="priority=urgent", shared=True
    )
    client.force_login(staff_user)
    client.post(reverse("case_filter_delete", args=[shared.pk]))
    assert SavedFilter.objects.filter(pk=shared.pk).exists()
    client.force_login(manager)
    client.post(reverse("case_filter_delete", args=[shared.pk]))
    assert not SavedFilter.objects.filter(pk=shared.pk).exists()


@pytest.mark.parametrize(
    "query",
    ["", "evil=1&<script>=2", "q=" + "x" * 5000, "status=\x00"],
)
def test_hostile_or_empty_input_is_refused_or_cut_down(staff_client, query):
    answer = _save(staff_client, "vreemd", query)
    assert answer.status_code == 302
    for saved in SavedFilter.objects.all():
        assert "evil" not in saved.query and "script" not in saved.query
        assert len(saved.query) <= 1000


def test_a_filter_without_a_name_is_not_saved(staff_client):
    answer = _save(staff_client, "   ", "priority=urgent")
    assert answer.status_code == 302
    assert not SavedFilter.objects.exists()
    assert answer.url.endswith("?priority=urgent")


def test_the_pages_want_post(staff_client):
    assert staff_client.get(reverse("case_filter_save")).status_code == 405
