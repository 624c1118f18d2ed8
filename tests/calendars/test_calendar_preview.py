"""The month preview of the configured calendars (managers only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from calendars import configured as calendars
from calendars.models import Closure, HolidayChoice, HolidayOverride, Scope, SpecialHours

# The pages are read in their English source text.
pytestmark = pytest.mark.usefixtures("english")

URL = reverse("calendar_preview")
T = dt.time


def day_entries(response, day: dt.date):
    for week in response.context["weeks"]:
        for preview_day in week:
            if preview_day.date == day:
                return preview_day
    raise AssertionError(f"{day} not in the grid")


def test_staff_get_403(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_december_2026_shows_christmas_closed_and_the_24th_open(manager_client):
    response = manager_client.get(URL, {"month": "2026-12"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Christmas Day" in content
    assert "Second Day of Christmas" in content
    christmas = day_entries(response, dt.date(2026, 12, 25))
    assert christmas.holiday_name == "Christmas Day"
    assert all(entry.hours == () for entry in christmas.entries)
    eve = day_entries(response, dt.date(2026, 12, 24))  # a Thursday: phone and office open
    assert {e.calendar: e.hours for e in eve.entries} == {
        "phone": ((T(8, 30), T(12, 30)),),
        "office": ((T(9), T(17)),),
    }
    assert day_entries(response, dt.date(2026, 12, 26)).holiday_name == "Second Day of Christmas"


def test_holiday_names_follow_the_active_language(manager_client):
    with translation.override("nl"):
        response = manager_client.get(URL, {"month": "2026-12"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Eerste kerstdag" in response.content.decode()


def test_closures_changed_hours_and_worked_holidays_are_marked(manager_client):
    Closure.objects.create(
        scope=Scope.BOTH,
        first_day=dt.date(2026, 12, 28),
        last_day=dt.date(2026, 12, 31),
        reason="Between the holidays",
    )
    SpecialHours.objects.create(
        scope=Scope.PHONE, date=dt.date(2026, 12, 24), opens=T(8, 30), closes=T(11)
    )
    HolidayOverride.objects.create(
        date=dt.date(2026, 12, 26), scope=Scope.OFFICE, choice=HolidayChoice.OPEN
    )
    response = manager_client.get(URL, {"month": "2026-12"})
    content = response.content.decode()
    assert "closure: Between the holidays" in content
    assert "changed hours" in content
    assert "holiday worked" in content
    eve = day_entries(response, dt.date(2026, 12, 24))
    assert {e.calendar: e.hours for e in eve.entries}["phone"] == ((T(8, 30), T(11)),)
    assert all(e.hours == () for e in day_entries(response, dt.date(2026, 12, 29)).entries)


def test_the_preview_agrees_with_the_calendars(manager_client):
    Closure.objects.create(
        scope=Scope.OFFICE,
        first_day=dt.date(2026, 12, 2),
        starts=T(13),
        ends=T(17),
        reason="Training",
    )
    response = manager_client.get(URL, {"month": "2026-12"})
    for week in response.context["weeks"]:
        for day in week:
            for entry in day.entries:
                assert entry.hours == entry.plan.hours
                assert entry.hours == calendars.calendar_for(entry.calendar).hours_on(day.date)


def test_one_calendar_can_be_shown_alone(manager_client):
    response = manager_client.get(URL, {"month": "2026-12", "calendar": "phone"})
    assert [e.calendar for e in day_entries(response, dt.date(2026, 12, 1)).entries] == ["phone"]


def test_previous_and_next_month_links(manager_client):
    response = manager_client.get(URL, {"month": "2026-12", "calendar": "office"})
    content = response.content.decode()
    assert "?month=2026-11&amp;calendar=office" in content
    assert "?month=2027-01&amp;calendar=office" in content


def test_links_to_the_admin_pages_where_the_configuration_is_edited(manager_client):
    content = manager_client.get(URL).content.decode()
    assert reverse("admin:calendars_closure_changelist") in content
    assert reverse("admin:calendars_weeklyhours_changelist") in content


def test_without_a_month_the_current_month_is_shown(manager_client):
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert response.context["first"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("month", ["december", "2026-13", "2026-00", "26-12", "9999-01"])
def test_a_bad_month_gets_a_clear_message_not_a_server_error(manager_client, month):
    response = manager_client.get(URL, {"month": month})
    assert response.status_code == 400
    content = response.content.decode()
    assert "e.g. 2026-12" in content or "Choose a month from 2015 to 2040" in content
    assert f'value="{month}"' in content  # what was typed is shown again
    assert response.context["weeks"]  # and the current month still shown


def test_a_bad_calendar_gets_a_clear_message(manager_client):
    response = manager_client.get(URL, {"month": "2026-12", "calendar": "fax"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_preview_costs_a_bounded_number_of_queries(
    manager_client, django_assert_max_num_queries
):
    manager_client.get(URL, {"month": "2026-11"})  # warm the session and the calendars
    with django_assert_max_num_queries(6):
        manager_client.get(URL, {"month": "2026-12"})


def test_a_closure_for_both_calendars_is_named_once_per_day(manager_client):
    Closure.objects.create(
        scope=Scope.BOTH, first_day=dt.date(2026, 12, 29), reason="Between the holidays"
    )
    Closure.objects.create(
        scope=Scope.OFFICE,
        first_day=dt.date(2026, 12, 2),
        starts=T(13),
        ends=T(17),
        reason="Training",
    )
    response = manager_client.get(URL, {"month": "2026-12"})
    content = response.content.decode()
    assert content.count("closure: Between the holidays") == 1
    assert "closure: Training (office)" in content
    assert day_entries(response, dt.date(2026, 12, 2)).closures == (("Training", ("office",)),)


def test_managers_find_the_preview_in_the_navigation(manager_client):
    assert f'href="{URL}"' in manager_client.get(reverse("dashboard")).content.decode()


def test_staff_do_not_see_the_preview_in_the_navigation(staff_client):
    assert f'href="{URL}"' not in staff_client.get(reverse("dashboard")).content.decode()
