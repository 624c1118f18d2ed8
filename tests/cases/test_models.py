"""The model rules the staff pages lean on: PSO status on a date, the snapshot on a case,
case references."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, PsoLevel
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2026, 1, 1)


def _status(org, level, start, until=None):
    return services.pso_status_record(
        organisation=org, level=level, effective_from=start, valid_until=until
    )


def test_organisation_without_status_has_none_in_force():
    org = OrganisationFactory()
    assert org.status_on(JAN_1) is None


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (dt.date(2025, 12, 31), False),  # the day before it took effect
        (JAN_1, True),  # its first day
        (dt.date(2026, 6, 30), True),  # its last day still counts
        (dt.date(2026, 7, 1), False),  # lapsed
    ],
)
def test_status_is_in_force_from_its_start_up_to_and_including_its_end(day, in_force):
    org = OrganisationFactory()
    record = _status(org, PsoLevel.TREDE_1, JAN_1, dt.date(2026, 6, 30))
    assert (org.status_on(day) == record) is in_force


def test_overlapping_statuses_the_one_that_took_effect_last_wins():
    org = OrganisationFactory()
    _status(org, PsoLevel.ASPIRANT, JAN_1)  # two years by default
    trede = _status(org, PsoLevel.TREDE_2, dt.date(2026, 9, 1), dt.date(2029, 9, 1))
    assert org.status_on(dt.date(2026, 8, 31)).level == PsoLevel.ASPIRANT
    assert org.status_on(dt.date(2026, 9, 1)) == trede


def test_aspirant_status_lapses_after_two_years_unless_told_otherwise():
    org = OrganisationFactory()
    record = _status(org, PsoLevel.ASPIRANT, JAN_1)
    assert record.valid_until == dt.date(2028, 1, 1)
    assert org.status_on(dt.date(2028, 1, 2)) is None


def test_expires_within_counts_only_a_status_that_has_not_ended():
    org = OrganisationFactory()
    record = _status(org, PsoLevel.TREDE_1, JAN_1, dt.date(2026, 3, 1))
    assert record.expires_within(dt.date(2026, 2, 1), 60)
    assert not record.expires_within(dt.date(2025, 12, 1), 60)
    assert not record.expires_within(dt.date(2026, 3, 2), 60)


def test_case_keeps_the_status_of_its_opening_when_the_organisation_moves_up():
    org = OrganisationFactory(
        pso=PsoLevel.ASPIRANT, pso__effective_from=timezone.localdate() - dt.timedelta(days=400)
    )
    case = CaseFactory(organisation=org)
    _status(org, PsoLevel.TREDE_1, timezone.localdate(), None)

    case.refresh_from_db()
    assert case.pso_level_at_open == PsoLevel.ASPIRANT
    assert case.pso_reference_at_open == f"PSO-CERT-{org.pk}"
    assert org.status_on(timezone.localdate()).level == PsoLevel.TREDE_1


def test_case_of_an_organisation_without_status_records_none_at_opening():
    case = CaseFactory(organisation=OrganisationFactory())
    assert case.pso_level_at_open == PsoLevel.NONE
    assert case.pso_valid_until_at_open is None


def test_references_are_sequential_and_unique_per_year(settings):
    settings.CASE_REFERENCE_PREFIX = "PSO"
    in_2026 = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    in_2027 = dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)
    first = CaseFactory(created_at=in_2026)
    second = CaseFactory(created_at=in_2026)
    next_year = CaseFactory(created_at=in_2027)
    third = CaseFactory(created_at=in_2026)
    assert [first.reference, second.reference, third.reference] == [
        "PSO-2026-00001",
        "PSO-2026-00002",
        "PSO-2026-00003",
    ]
    assert next_year.reference == "PSO-2027-00001"
    assert Case.objects.values("reference").distinct().count() == 4


def test_reference_year_follows_amsterdam_time_not_utc():
    # 23:30 UTC on 31 December is already New Year's Day in Amsterdam.
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert CaseFactory(created_at=new_year).reference.split("-")[1] == "2027"
