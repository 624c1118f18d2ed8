"""The caller on screen: the endpoint every staff page polls, and what the pop-up shows."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest

from cases.models import PsoLevel
from telephony.models import Extension
from tests.factories import CallerCaseFactory, PhoneSystemFactory, StaffUserFactory
from tests.scheduling.callback_factories import give_pso
from tests.telephony.events import ring
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

RINGING = "/telephony/ringing/"


@pytest.fixture(autouse=True)
def monday_morning(time_machine):
    time_machine.move_to(local(2026, 11, 30, 10), tick=False)


@pytest.fixture
def system():
    return PhoneSystemFactory()


@pytest.fixture
def jan():
    case = CallerCaseFactory()
    give_pso(case.organisation, PsoLevel.TREDE_2)
    return case


def next_poll(response) -> dict:
    """The query of the poll the answer asks the browser to make next."""
    url = html.unescape(response.content.decode().split('hx-get="', 1)[1].split('"', 1)[0])
    return {
        key: values[0]
        for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()
    }


def test_a_quiet_phone_costs_no_query_once_the_cache_knows_what_rings(
    staff_client, system, django_assert_num_queries
):
    first = staff_client.get(RINGING)  # no poll token yet: the signed-in view gives one
    assert first.status_code == 200
    with django_assert_num_queries(1, info="the calls still going, and nothing else"):
        filling = staff_client.get(RINGING, next_poll(first))
    with django_assert_num_queries(0, info="no session, no user, no calls: the cache"):
        response = staff_client.get(RINGING, next_poll(first))

    assert filling.status_code == 204
    assert response.status_code == 204


def test_a_poll_without_a_genuine_token_goes_through_sign_in(client, system):
    response = client.get(RINGING, {"shown": "", "poll": "1:forged:token"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_old_poll_token_is_renewed_by_the_signed_in_view(staff_client, system, time_machine):
    first = staff_client.get(RINGING)
    time_machine.move_to(local(2026, 11, 30, 10, 11), tick=False)

    stale = staff_client.get(RINGING, next_poll(first))

    assert stale.status_code == 200
    assert next_poll(stale)["poll"] != next_poll(first)["poll"]


def test_a_ringing_call_shows_the_caller_the_organisation_and_its_pso_status(
    staff_client, system, jan
):
    ring(system, "r-1")

    response = staff_client.get(RINGING, {"shown": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The phone rings" in page
    assert "Jan Jansen" in page and "Gemeente Almelo" in page
    assert "Trede 2" in page
    assert jan.reference in page  # the open case
    assert 'data-call-take aria-keyshortcuts="Alt+O"' in page


def test_an_unchanged_pop_up_is_not_sent_again(staff_client, system, jan):
    ring(system, "r-1")
    first = staff_client.get(RINGING, {"shown": ""})

    again = staff_client.get(RINGING, next_poll(first))

    assert again.status_code == 204


def test_the_pop_up_says_who_took_the_call_and_gives_them_the_form(client, system, jan, staff_user):
    colleague = StaffUserFactory(first_name="Piet", last_name="Smit")
    Extension.objects.create(user=staff_user, number="201")
    ring(system, "r-1")
    ring(system, "r-1", event="answer")

    client.force_login(colleague)
    seen_by_colleague = client.get(RINGING, {"shown": ""}).content.decode()
    client.force_login(staff_user)
    seen_by_answerer = client.get(RINGING, {"shown": ""}).content.decode()

    assert "Sanne de Vries took this call" in seen_by_colleague
    assert "Log this call" not in seen_by_colleague
    assert "You took this call" in seen_by_answerer
    assert "Log this call" in seen_by_answerer


def test_the_pop_up_goes_away_after_the_hangup(staff_client, system, jan):
    ring(system, "r-1")
    shown = staff_client.get(RINGING, {"shown": ""})
    ring(system, "r-1", event="hangup")

    response = staff_client.get(RINGING, next_poll(shown))

    assert response.status_code == 200
    assert "The phone rings" not in response.content.decode()


def test_every_staff_page_polls_the_pop_up(staff_client):
    page = staff_client.get("/").content.decode()

    assert 'hx-get="/telephony/ringing/?shown=&amp;poll=' in page
