"""The PSO status "now" kept on the organisation cannot drift from its history.

Lists filter on ``Organisation.pso_level_now`` instead of working the status out per
row. These tests hold it to the rule it replaces (``PsoStatus.objects.in_force_on``):
after every write of a history, on any day later (a status expired, a future one came
into force) with or without the daily roll-over, the lists answer as the history does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import AdminSite
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from cases import selectors, services
from cases.admin.organisations import PsoStatusAdmin
from cases.models import Case, Organisation, PsoLevel, PsoStatus
from cases.pso_now import StatusRecord, in_force, pso_now
from cases.selectors_rows import with_current_pso
from tests.factories import CaseFactory, ManagerUserFactory, OrganisationFactory, PsoStatusFactory

DAY = dt.timedelta(days=1)
START = dt.date(2026, 1, 1)

# --- The pure rule -----------------------------------------------------------------------


records = st.lists(
    st.tuples(
        st.sampled_from(PsoLevel.values),
        st.integers(0, 60),
        st.none() | st.integers(0, 40),
    ),
    max_size=5,
).map(
    lambda rows: [
        StatusRecord(
            pk=n + 1,
            level=level,
            effective_from=START + start * DAY,
            valid_until=None if length is None else START + (start + length) * DAY,
        )
        for n, (level, start, length) in enumerate(rows)
    ]
)


@given(records, st.integers(0, 100))
def test_the_answer_holds_on_every_day_of_its_stretch(history, offset):
    day = START + offset * DAY
    now = pso_now(history, day)
    assert now.holds_on(day)
    first = max(now.since, START - 10 * DAY)
    last = now.through or START + 120 * DAY
    current = in_force(history, day)
    for n in range((last - first).days + 1):
        other = in_force(history, first + n * DAY)
        assert (other and (other.level, other.valid_until)) == (
            current and (current.level, current.valid_until)
        )


def test_the_stretch_ends_the_day_a_status_lapses_or_a_later_one_starts():
    history = [
        StatusRecord(1, PsoLevel.ASPIRANT, dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        StatusRecord(2, PsoLevel.TREDE_1, dt.date(2027, 3, 1), None),
    ]
    now = pso_now(history, dt.date(2026, 6, 1))
    assert (now.level, now.since, now.through) == (
        PsoLevel.ASPIRANT,
        dt.date(2025, 1, 1),
        dt.date(2026, 12, 31),
    )
    gap = pso_now(history, dt.date(2027, 1, 1))
    assert (gap.level, gap.since, gap.through) == (None, dt.date(2027, 1, 1), dt.date(2027, 2, 28))
    later = pso_now(history, dt.date(2027, 3, 1))
    assert (later.level, later.through) == (PsoLevel.TREDE_1, None)


# --- Kept in step by every write -----------------------------------------------------------


def level_by_lists(organisation: Organisation, day: dt.date) -> str | None:
    """What the lists show and filter on for this organisation on ``day``."""
    shown, until = (
        selectors.organisations_with_current_pso(today=day)
        .values_list("current_pso_level", "current_pso_valid_until")
        .get(pk=organisation.pk)
    )
    found = [
        level
        for level in PsoLevel.values
        if organisation.pk in set(selectors.organisation_ids_with_pso_level_now(level, today=day))
    ]
    assert found == [shown or PsoLevel.NONE], "the filter and the column disagree"
    # The case lists' rows read it from the joined organisation (the history if stale).
    fetched = Organisation.objects.get(pk=organisation.pk)
    (row,) = with_current_pso([Case(organisation=fetched)], today=day)
    assert (row.current_pso_level, row.current_pso_valid_until) == (shown, until), (
        "the case list's rows and the column disagree"
    )
    return shown


def level_by_history(organisation: Organisation, day: dt.date) -> str | None:
    status = organisation.status_on(day)
    return status.level if status else None


@pytest.mark.django_db
def test_recording_a_status_updates_the_kept_level_at_once(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0), tick=False)
    organisation = OrganisationFactory()
    services.pso_status_record(
        organisation=organisation, level=PsoLevel.TREDE_2, effective_from=dt.date(2026, 5, 1)
    )
    organisation.refresh_from_db()
    assert organisation.pso_level_now == PsoLevel.TREDE_2
    assert organisation.pso_now_since == dt.date(2026, 5, 1)
    assert level_by_lists(organisation, dt.date(2026, 6, 1)) == PsoLevel.TREDE_2


@pytest.mark.django_db
def test_a_status_that_lapsed_overnight_is_gone_from_the_lists_before_the_roll_over(
    time_machine,
):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0), tick=False)
    organisation = OrganisationFactory()
    PsoStatusFactory(
        organisation=organisation,
        level=PsoLevel.TREDE_1,
        effective_from=dt.date(2025, 6, 1),
        valid_until=dt.date(2026, 6, 1),
    )
    case = CaseFactory(organisation=organisation)
    assert level_by_lists(organisation, dt.date(2026, 6, 1)) == PsoLevel.TREDE_1

    # The next morning, before the roll-over has run: the kept level is out of date,
    # and the lists read the history for this organisation instead.
    tomorrow = dt.date(2026, 6, 2)
    assert level_by_lists(organisation, tomorrow) is None
    trede_1 = selectors.cases_with_pso_level_now(
        selectors.cases_for_lists(), PsoLevel.TREDE_1, today=tomorrow
    )
    none = selectors.cases_with_pso_level_now(
        selectors.cases_for_lists(), PsoLevel.NONE, today=tomorrow
    )
    assert case not in trede_1 and case in none

    assert services.pso_now_roll_over(today=tomorrow) == 1
    organisation.refresh_from_db()
    assert organisation.pso_level_now is None
    assert level_by_lists(organisation, tomorrow) is None
    assert services.pso_now_roll_over(today=tomorrow) == 0, "nothing left to roll over"


@pytest.mark.django_db
def test_a_status_recorded_for_a_later_date_takes_over_on_that_day(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0), tick=False)
    organisation = OrganisationFactory(pso=PsoLevel.ASPIRANT)
    PsoStatusFactory(
        organisation=organisation, level=PsoLevel.TREDE_1, effective_from=dt.date(2026, 7, 1)
    )
    assert level_by_lists(organisation, dt.date(2026, 6, 30)) == PsoLevel.ASPIRANT
    assert level_by_lists(organisation, dt.date(2026, 7, 1)) == PsoLevel.TREDE_1
    services.pso_now_roll_over(today=dt.date(2026, 7, 1))
    organisation.refresh_from_db()
    assert organisation.pso_level_now == PsoLevel.TREDE_1


@pytest.mark.django_db
def test_changes_in_the_administration_keep_the_level_in_step(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0), tick=False)
    organisation = OrganisationFactory(pso=PsoLevel.TREDE_3)
    status = PsoStatus.objects.get(organisation=organisation)
    admin = PsoStatusAdmin(PsoStatus, AdminSite())
    request = RequestFactory().post("/")
    request.user = ManagerUserFactory()

    status.level = PsoLevel.TREDE_2
    admin.save_model(request, status, form=None, change=True)
    organisation.refresh_from_db()
    assert organisation.pso_level_now == PsoLevel.TREDE_2

    admin.delete_queryset(request, PsoStatus.objects.filter(pk=status.pk))
    organisation.refresh_from_db()
    assert organisation.pso_level_now is None
    assert level_by_lists(organisation, dt.date(2026, 6, 1)) is None


@pytest.mark.django_db
def test_organisations_from_before_the_kept_level_read_their_history():
    """A row never worked out (``pso_now_since`` empty) is read from its history."""
    organisation = OrganisationFactory(pso=PsoLevel.TREDE_2)
    Organisation.objects.filter(pk=organisation.pk).update(
        pso_level_now=None, pso_now_since=None, pso_now_through=None
    )
    today = dt.date.today()
    assert level_by_lists(organisation, today) == level_by_history(organisation, today)


class TestNoDriftOverTime(HypothesisTestCase):
    """Any history written through the service, any later day: lists and history agree."""

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(PsoLevel.values),
                st.integers(-30, 30),
                st.none() | st.integers(0, 30),
            ),
            min_size=1,
            max_size=4,
        ),
        st.lists(st.integers(-40, 70), min_size=1, max_size=4, unique=True),
        st.booleans(),
    )
    def test_lists_follow_the_history(self, history, days, roll_over):
        today = dt.date.today()
        organisation = Organisation.objects.create(name="Drift BV")
        for level, start, length in history:
            services.pso_status_record(
                organisation=organisation,
                level=level,
                effective_from=today + start * DAY,
                valid_until=None if length is None else today + (start + length) * DAY,
            )
        for offset in sorted(days):
            day = today + offset * DAY
            if roll_over:
                services.pso_now_roll_over(today=day)
            assert level_by_lists(organisation, day) == level_by_history(organisation, day)
