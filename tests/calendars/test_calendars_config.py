"""The configured calendars: defaults, holidays, overrides, closures, changed hours, caching."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from calendars import configured as calendars
from calendars.configured import (
    CalendarConfig,
    ClosureRule,
    day_plan,
    office_hours,
    phone_hours,
    subtract_interval,
)
from calendars.models import (
    Closure,
    HolidayChoice,
    HolidayOverride,
    Scope,
    SpecialHours,
    WeeklyHours,
)
from tests.timehelpers import local

T = dt.time


pytestmark = pytest.mark.django_db


# --- Defaults (from the data migration) -----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 23), ((T(8, 30), T(12, 30)),)),  # Monday
        (dt.date(2026, 11, 26), ((T(8, 30), T(12, 30)),)),  # Thursday
        (dt.date(2026, 11, 27), ()),  # Friday: no phone
        (dt.date(2026, 11, 28), ()),  # Saturday
    ],
)
def test_phone_hours_default_to_monday_to_thursday_morning(day, expected):
    assert tuple(phone_hours().hours_on(day)) == expected


def test_office_hours_default_to_monday_to_friday_nine_to_five():
    cal = office_hours()
    assert tuple(cal.hours_on(dt.date(2026, 11, 27))) == ((T(9), T(17)),)
    assert tuple(cal.hours_on(dt.date(2026, 11, 29))) == ()


def test_phone_opens_half_past_eight_and_closes_half_past_twelve():
    cal = phone_hours()
    assert not cal.is_open(local(2026, 11, 23, 8, 29))
    assert cal.is_open(local(2026, 11, 23, 8, 30))
    assert not cal.is_open(local(2026, 11, 23, 12, 30))


@pytest.mark.parametrize(
    "holiday",
    [
        dt.date(2025, 4, 18),  # Good Friday (office)
        dt.date(2025, 4, 26),  # King's Day on Saturday, 27 April 2025 is a Sunday
        dt.date(2025, 5, 5),  # Liberation Day, a lustrum year
        dt.date(2030, 6, 10),  # Whit Monday
        dt.date(2025, 5, 29),  # Ascension Thursday
        dt.date(2026, 12, 25),
    ],
)
def test_public_holidays_are_closed(holiday):
    assert not office_hours().is_open_day(holiday)
    assert not phone_hours().is_open_day(holiday)


def test_kings_day_2025_is_on_26_april_and_27_april_is_an_ordinary_sunday():
    assert dt.date(2025, 4, 26) in calendars.dutch_public_holidays()
    assert dt.date(2025, 4, 27) not in calendars.dutch_public_holidays()


def test_ascension_thursday_closes_the_phone():
    assert not phone_hours().is_open(local(2025, 5, 29, 10))
    assert phone_hours().next_open(local(2025, 5, 29, 10)) == local(2025, 6, 2, 8, 30)


def test_good_friday_closes_the_office():
    assert office_hours().next_open(local(2025, 4, 18, 10)) == local(2025, 4, 22, 9)  # after Easter


def test_liberation_day_outside_lustrum_years_is_a_working_day():
    assert office_hours().is_open_day(dt.date(2026, 5, 5))
    assert dt.date(2030, 5, 5) in calendars.dutch_public_holidays()  # a lustrum year


# --- Configuration -----------------------------------------------------------------------------


def test_a_public_holiday_switched_off_is_open():
    HolidayOverride.objects.create(
        date=dt.date(2025, 5, 29), scope=Scope.PHONE, choice=HolidayChoice.OPEN
    )
    assert phone_hours().is_open(local(2025, 5, 29, 10))
    assert not office_hours().is_open(local(2025, 5, 29, 10))  # only the phone works that day


def test_an_optional_holiday_switched_on_is_closed():
    HolidayOverride.objects.create(
        date=dt.date(2026, 5, 5), scope=Scope.BOTH, choice=HolidayChoice.CLOSED
    )
    assert not office_hours().is_open_day(dt.date(2026, 5, 5))
    assert not phone_hours().is_open_day(dt.date(2026, 5, 5))


def test_a_closure_range_closes_every_day_in_it():
    Closure.objects.create(
        scope=Scope.BOTH,
        first_day=dt.date(2026, 12, 28),
        last_day=dt.date(2026, 12, 31),
        reason="Between Christmas and New Year",
    )
    for day in range(28, 32):
        assert not office_hours().is_open_day(dt.date(2026, 12, day))
    assert office_hours().next_open(local(2026, 12, 28, 9)) == local(2027, 1, 4, 9)  # 1 Jan holiday
    assert office_hours().is_open_day(dt.date(2026, 12, 24))


def test_a_training_afternoon_leaves_the_morning_open():
    Closure.objects.create(
        scope=Scope.OFFICE,
        first_day=dt.date(2026, 12, 2),
        starts=T(13),
        ends=T(17),
        reason="Training",
    )
    assert tuple(office_hours().hours_on(dt.date(2026, 12, 2))) == ((T(9), T(13)),)
    assert tuple(office_hours().hours_on(dt.date(2026, 12, 3))) == ((T(9), T(17)),)
    # The phone closes at 12:30 anyway: untouched, and the closure was for the office only.
    assert tuple(phone_hours().hours_on(dt.date(2026, 12, 2))) == ((T(8, 30), T(12, 30)),)


def test_changed_hours_apply_only_to_their_date():
    SpecialHours.objects.create(
        scope=Scope.PHONE, date=dt.date(2026, 12, 24), opens=T(8, 30), closes=T(11)
    )
    assert tuple(phone_hours().hours_on(dt.date(2026, 12, 24))) == ((T(8, 30), T(11)),)
    assert tuple(phone_hours().hours_on(dt.date(2026, 12, 23))) == ((T(8, 30), T(12, 30)),)
    assert tuple(office_hours().hours_on(dt.date(2026, 12, 24))) == ((T(9), T(17)),)


def test_changed_hours_open_a_friday_for_the_phone():
    SpecialHours.objects.create(
        scope=Scope.BOTH, date=dt.date(2026, 12, 4), opens=T(10), closes=T(12)
    )
    assert phone_hours().is_open(local(2026, 12, 4, 11))


def test_changed_weekly_hours_replace_the_defaults():
    WeeklyHours.objects.filter(calendar="phone", weekday=0).update(closes=T(12))
    WeeklyHours.objects.create(calendar="phone", weekday=4, opens=T(9), closes=T(11))
    assert tuple(phone_hours().hours_on(dt.date(2026, 11, 23))) == ((T(8, 30), T(12)),)
    assert phone_hours().is_open(local(2026, 11, 27, 10))


def test_a_calendar_without_weekly_rows_falls_back_to_its_defaults():
    WeeklyHours.objects.filter(calendar="office").delete()
    assert tuple(office_hours().hours_on(dt.date(2026, 11, 27))) == ((T(9), T(17)),)


# --- Pure rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "cut", "left"),
    [
        (((T(9), T(17)),), (T(13), T(17)), ((T(9), T(13)),)),
        (((T(9), T(17)),), (T(12), T(13)), ((T(9), T(12)), (T(13), T(17)))),
        (((T(8, 30), T(12, 30)),), (T(13), T(17)), ((T(8, 30), T(12, 30)),)),
        (((T(9), T(17)),), (T(8), T(18)), ()),
    ],
)
def test_subtract_interval(hours, cut, left):
    assert subtract_interval(hours, *cut) == left


def test_closure_beats_changed_hours_and_changed_hours_beat_a_holiday():
    christmas = dt.date(2026, 12, 25)
    config = CalendarConfig(special={"office": {christmas: ((T(10), T(14)),)}})
    assert day_plan(config, "office", christmas).hours == ((T(10), T(14)),)
    closed = CalendarConfig(
        special={"office": {christmas: ((T(10), T(14)),)}},
        closures=(ClosureRule(frozenset({"office"}), christmas, christmas, T(12), T(17), "x"),),
    )
    assert day_plan(closed, "office", christmas).hours == ((T(10), T(12)),)


# --- Validation --------------------------------------------------------------------------------


def test_weekly_hours_must_end_after_they_start():
    row = WeeklyHours(calendar="phone", weekday=4, opens=T(12), closes=T(9))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "closes" in error.value.message_dict


def error_codes(error: ValidationError) -> set[str | None]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def test_overlapping_weekly_hours_are_refused():
    row = WeeklyHours(calendar="phone", weekday=0, opens=T(12), closes=T(13))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error_codes(error.value) == {"overlap"}
    assert "12:00–13:00" in str(error.value) and "08:30–12:30" in str(error.value)


def test_touching_weekly_hours_are_accepted():
    WeeklyHours(calendar="phone", weekday=0, opens=T(12, 30), closes=T(13)).full_clean()


def test_closure_days_must_be_in_order():
    row = Closure(
        scope=Scope.BOTH,
        first_day=dt.date(2026, 12, 31),
        last_day=dt.date(2026, 12, 28),
        reason="x",
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "last_day" in error.value.message_dict


def test_closure_needs_both_times_or_neither():
    row = Closure(scope=Scope.BOTH, first_day=dt.date(2026, 12, 2), starts=T(13), reason="x")
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "ends" in error.value.message_dict


def test_overlapping_changed_hours_are_refused_across_scopes():
    SpecialHours.objects.create(
        scope=Scope.BOTH, date=dt.date(2026, 12, 24), opens=T(9), closes=T(12)
    )
    row = SpecialHours(scope=Scope.PHONE, date=dt.date(2026, 12, 24), opens=T(11), closes=T(13))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error_codes(error.value) == {"overlap"}


def test_a_holiday_override_needs_a_dutch_holiday():
    row = HolidayOverride(date=dt.date(2026, 12, 2), scope=Scope.BOTH, choice=HolidayChoice.OPEN)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "date" in error.value.message_dict


def test_a_second_override_for_the_same_holiday_is_refused():
    HolidayOverride.objects.create(
        date=dt.date(2026, 5, 14), scope=Scope.BOTH, choice=HolidayChoice.OPEN
    )
    row = HolidayOverride(date=dt.date(2026, 5, 14), scope=Scope.PHONE, choice=HolidayChoice.OPEN)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error_codes(error.value) == {"duplicate"}


# --- Caching -----------------------------------------------------------------------------------


def test_a_change_is_seen_by_the_next_call_without_restart():
    assert not phone_hours().is_open(local(2026, 11, 27, 10))
    WeeklyHours.objects.create(calendar="phone", weekday=4, opens=T(9), closes=T(11))
    assert phone_hours().is_open(local(2026, 11, 27, 10))
    Closure.objects.create(scope=Scope.PHONE, first_day=dt.date(2026, 11, 27), reason="x")
    assert not phone_hours().is_open(local(2026, 11, 27, 10))
    Closure.objects.all().delete()
    assert phone_hours().is_open(local(2026, 11, 27, 10))


def test_another_process_change_is_seen_once_the_cache_time_has_passed(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(calendars, "_clock", lambda: clock[0])
    assert not phone_hours().is_open_day(dt.date(2026, 11, 27))
    # A change made elsewhere: no signal reaches this process.
    WeeklyHours.objects.bulk_create(
        [WeeklyHours(calendar="phone", weekday=4, opens=T(9), closes=T(11))]
    )
    assert not phone_hours().is_open_day(dt.date(2026, 11, 27))  # still trusted
    clock[0] += calendars.CACHE_SECONDS
    assert phone_hours().is_open_day(dt.date(2026, 11, 27))


def test_building_the_calendars_costs_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    Closure.objects.create(
        scope=Scope.BOTH,
        first_day=dt.date(2026, 1, 1),
        last_day=dt.date(2026, 12, 31),
        reason="A long closure is not a query per day",
    )
    for day in range(1, 29):
        SpecialHours.objects.create(
            scope=Scope.BOTH, date=dt.date(2027, 2, day), opens=T(9), closes=T(10)
        )
    calendars.clear_calendar_cache()
    with django_assert_max_num_queries(5):  # the stamp, then one query per table
        phone_hours()
        office_hours()


def test_repeated_calls_cost_no_queries_when_nothing_changed(django_assert_num_queries):
    phone_hours()
    with django_assert_num_queries(0):
        for _ in range(1000):
            phone_hours()
            office_hours()


def test_after_the_cache_time_an_unchanged_configuration_costs_one_query(
    monkeypatch, django_assert_num_queries
):
    clock = [1000.0]
    monkeypatch.setattr(calendars, "_clock", lambda: clock[0])
    first = phone_hours()
    clock[0] += calendars.CACHE_SECONDS + 1
    with django_assert_num_queries(1):
        assert phone_hours() is first


# --- Administration --------------------------------------------------------------------------


def test_a_manager_adds_a_closure_in_the_admin_and_the_phone_closes(manager_client):
    response = manager_client.post(
        reverse("admin:calendars_closure_add"),
        {"scope": "both", "first_day": "2026-12-28", "last_day": "2026-12-31", "reason": "Break"},
    )
    assert response.status_code == 302
    assert not phone_hours().is_open_day(dt.date(2026, 12, 28))


def test_the_admin_refuses_a_closure_with_its_days_out_of_order(manager_client):
    response = manager_client.post(
        reverse("admin:calendars_closure_add"),
        {"scope": "both", "first_day": "2026-12-31", "last_day": "2026-12-28", "reason": "Break"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Closure.objects.exists()


@time_machine.travel(local(2026, 11, 27, 9), tick=False)
def test_the_admin_offers_the_dutch_holidays_to_override(manager_client):
    response = manager_client.get(reverse("admin:calendars_holidayoverride_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    values = [value for value, _label in form.fields["date"].choices]
    assert "2026-05-14" in values  # Ascension Day
    response = manager_client.post(
        reverse("admin:calendars_holidayoverride_add"),
        {"date": "2026-05-14", "scope": "phone", "choice": "open", "note": ""},
    )
    assert response.status_code == 302
    assert phone_hours().is_open_day(dt.date(2026, 5, 14))
