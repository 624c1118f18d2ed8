"""The merge page: choose, confirm, merge (callbacks move too); the merged case's page;
a manager's undo from the timeline; reports count a merged pair once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from calendars import configured as calendars
from cases.models import Case, CaseMerge, Status
from scheduling.callbacks.merging import cases_merge
from scheduling.models import Callback
from scheduling.reports.figures import ReportFilters, SlaReport
from scheduling.reports.period import week_of
from tests.factories import (
    CallbackFactory,
    CaseFactory,
    CaseRowFactory,
    ContactFactory,
    OrganisationFactory,
)
from tests.timehelpers import AMS, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


@pytest.fixture
def pair():
    """A phone case of Jan Jansen with a callback booked, and his mail about the same."""
    callback = CallbackFactory()
    phoned = callback.case
    mailed = CaseFactory(subject="Re: PSO-status", contact=phoned.contact, channel="email")
    return phoned, mailed, callback


def test_the_page_offers_the_callers_other_open_cases(staff_client, pair):
    phoned, mailed, _ = pair
    CaseFactory(contact=ContactFactory(name="Iemand anders"))
    page = staff_client.get(reverse("case_merge", args=[mailed.reference]))
    assert page.status_code == 200
    assert f"Merge into {phoned.reference}" in page.content.decode()
    assert page.content.decode().count("Merge into PSO-") == 1


def test_choosing_shows_what_moves_and_merges_only_after_confirmation(staff_client, pair):
    phoned, mailed, callback = pair
    url = reverse("case_merge", args=[phoned.reference])
    check = staff_client.post(url, {"target": mailed.reference.lower()})
    assert check.status_code == 200
    text = check.content.decode()
    assert f"Merge {phoned.reference} into {mailed.reference}?" in text
    assert "1 callback" in text and "it was asked first" in text
    assert f"Its subject and description, shown on the timeline of {mailed.reference}" in text
    assert not CaseMerge.objects.exists()

    done = staff_client.post(url, {"target": mailed.reference, "confirm": "1"})
    assert done.status_code == 302 and done.url == reverse("case_detail", args=[mailed.reference])
    callback.refresh_from_db()
    assert callback.case_id == mailed.pk
    merge = CaseMerge.objects.get()
    assert merge.moved["callbacks"] == [callback.pk]


def test_a_refused_merge_is_shown_in_the_form(staff_client, pair):
    phoned, *_ = pair
    url = reverse("case_merge", args=[phoned.reference])
    itself = staff_client.post(url, {"target": phoned.reference, "confirm": "1"})
    assert itself.status_code == 400
    assert "cannot be merged into itself" in itself.content.decode()
    unknown = staff_client.post(url, {"target": "PSO-1999-99999"})
    assert unknown.status_code == 400 and "no case with reference" in unknown.content.decode()
    assert not CaseMerge.objects.exists()


def test_the_merged_case_points_to_the_survivor_and_cannot_be_changed(
    staff_client, staff_user, pair
):
    phoned, mailed, _ = pair
    cases_merge(source=mailed, target=phoned, actor=staff_user)
    page = staff_client.get(reverse("case_detail", args=[mailed.reference]))
    text = page.content.decode()
    assert f"This case was merged into {phoned.reference}" in text
    assert reverse("case_mail_reply", args=[mailed.reference]) not in text
    assert "Undo this merge" not in text  # staff, not a manager
    change = staff_client.post(
        reverse("case_change", args=[mailed.reference]), {"status": Status.OPEN}
    )
    assert change.status_code == 302
    assert Case.objects.get(pk=mailed.pk).status == Status.CLOSED
    survivor = staff_client.get(reverse("case_detail", args=[phoned.reference])).content.decode()
    assert "Merged into this case:" in survivor and mailed.reference in survivor


def test_a_manager_undoes_from_the_survivors_timeline_and_callbacks_go_back(
    manager_client, staff_user, pair
):
    phoned, mailed, callback = pair
    cases_merge(source=phoned, target=mailed, actor=staff_user)
    survivor = manager_client.get(reverse("case_detail", args=[mailed.reference]))
    undo_url = reverse("case_merge_undo", args=[phoned.reference])
    assert undo_url in survivor.content.decode()

    answer = manager_client.post(undo_url)
    assert answer.status_code == 302
    callback.refresh_from_db()
    assert callback.case_id == phoned.pk
    assert Case.objects.get(pk=phoned.pk).merged_into_id is None
    assert undo_url not in manager_client.get(survivor.request["PATH_INFO"]).content.decode()


def test_staff_may_not_undo(staff_client, staff_user, pair):
    phoned, mailed, _ = pair
    cases_merge(source=phoned, target=mailed, actor=staff_user)
    answer = staff_client.post(reverse("case_merge_undo", args=[phoned.reference]))
    assert answer.status_code == 403
    assert Case.objects.get(pk=phoned.pk).merged_into_id == mailed.pk


def test_cases_of_another_organisation_need_a_manager(staff_client, pair):
    phoned, *_ = pair
    other = CaseFactory(organisation=OrganisationFactory(name="Gemeente Hengelo"))
    url = reverse("case_merge", args=[other.reference])
    refused = staff_client.post(url, {"target": phoned.reference})
    assert refused.status_code == 400 and "Only a manager" in refused.content.decode()


def test_merge_pages_want_a_signed_in_user(client, pair):
    phoned, *_ = pair
    answer = client.get(reverse("case_merge", args=[phoned.reference]))
    assert answer.status_code == 302 and "login" in answer.url
    assert client.get(reverse("case_merge", args=["PSO-0000-00000"])).status_code == 302


def test_reports_count_a_merged_pair_once(db):
    week = week_of(local(2026, 11, 16, 9).date())
    first = CaseRowFactory(reference="M1", channel="email", created_at=local(2026, 11, 16, 9))
    second = CaseRowFactory(reference="M2", channel="phone", created_at=local(2026, 11, 17, 9))
    Case.objects.filter(pk=second.pk).update(merged_into=first, status=Status.CLOSED)
    report = SlaReport(
        period=week,
        filters=ReportFilters(),
        now=local(2026, 11, 23, 12),
        tz=AMS,
        office_calendar=calendars.office_hours(),
    )
    assert report.enquiries_by_channel() == {"phone": 0, "email": 1, "web": 0}
    assert Callback.objects.count() == 0
