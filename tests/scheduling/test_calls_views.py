"""The log-a-call screen, end to end with the test client, and logging a call on a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CallOutcome, Case, Contact, PhoneCall, PsoLevel, Status
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

CALL_LOG = reverse("call_log")
SEARCH = reverse("caller_search")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post_data(**overrides):
    data = {
        "number": "",
        "direction": "in",
        "started_at": _local(timezone.now() - dt.timedelta(minutes=3)),
        "duration_minutes": "3",
        "notes": "Vraagt hoe de Aspirant-status werkt.",
        "outcome": CallOutcome.ANSWERED,
        "case": "",
        "subject": "Aspirant-status aanvragen",
        "category": str(category("aspirant").pk),
        "priority": "normal",
    }
    data.update(overrides)
    return data


@pytest.fixture
def almelo():
    return OrganisationFactory(
        name="Gemeente Almelo",
        kvk_number="12345678",
        pso=PsoLevel.TREDE_3,
        pso__valid_until=timezone.localdate() + dt.timedelta(days=20),
    )


@pytest.fixture
def jan(almelo):
    return ContactFactory(name="Jan Jansen", organisation=almelo, phone="+31612345678")


# --- Who may open the pages ------------------------------------------------------------------


@pytest.mark.parametrize("url", [CALL_LOG, SEARCH + "?q=jan"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_cannot_log_a_call_on_a_case(client):
    case = CaseFactory()
    response = client.post(reverse("case_call_add", args=[case.reference]), _post_data())
    assert response.status_code == 302
    assert not PhoneCall.objects.exists()


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_open_the_log_a_call_screen(request, who):
    response = request.getfixturevalue(who).get(CALL_LOG)
    assert response.status_code == 200
    assert b'id="caller-q"' in response.content
    assert b"autofocus" in response.content


@pytest.mark.parametrize(
    ("method", "url"),
    [("put", CALL_LOG), ("post", SEARCH), ("delete", SEARCH)],
)
def test_wrong_methods_are_refused(staff_client, method, url):
    assert getattr(staff_client, method)(url).status_code == 405


def test_logging_a_call_on_a_case_is_post_only(staff_client):
    case = CaseFactory()
    assert staff_client.get(reverse("case_call_add", args=[case.reference])).status_code == 405


# --- Searching ----------------------------------------------------------------------------------


def test_search_as_you_type_returns_only_the_results(staff_client, jan):
    response = staff_client.get(SEARCH, {"q": "06-12345678"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Jan Jansen" in body
    assert f"contact={jan.pk}" in body
    assert "06 12345678" in body  # shown as Dutch people write it


def test_search_without_javascript_shows_the_results_on_the_page(staff_client, jan):
    response = staff_client.get(CALL_LOG, {"q": "06-12345678"})
    body = response.content.decode()
    assert 'aria-live="polite"' in body
    assert "Jan Jansen" in body
    assert 'value="06 12345678"' in body  # the searched number prefills the call


def test_search_page_without_htmx_redirects_to_the_full_screen(staff_client):
    response = staff_client.get(SEARCH, {"q": "06-12345678"})
    assert response.status_code == 302
    assert response.url == f"{CALL_LOG}?q=06-12345678"


def test_nobody_found_invites_to_add_the_caller(staff_client):
    response = staff_client.get(SEARCH, {"q": "0546 999999"}, HTTP_HX_REQUEST="true")
    assert b"Nobody found" in response.content


# --- Picking a caller --------------------------------------------------------------------------


def test_picked_contact_shows_organisation_badge_and_open_cases(staff_client, almelo, jan):
    open_case = CaseFactory(subject="Herbeoordeling Trede 3", organisation=almelo, contact=jan)
    closed = CaseFactory(subject="Oude vraag", organisation=almelo)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)

    response = staff_client.get(CALL_LOG, {"q": "06-12345678", "contact": jan.pk})
    body = response.content.decode()
    assert "Gemeente Almelo" in body
    assert "pso-trede_3" in body
    assert "expires soon" in body
    assert f'value="{open_case.reference}"' in body
    assert closed.reference not in body
    assert 'id="case-new"' in body
    assert f'name="contact" value="{jan.pk}"' in body


def test_picked_contact_prefills_their_number_when_searched_by_name(staff_client, jan):
    response = staff_client.get(CALL_LOG, {"q": "jansen", "contact": jan.pk})
    assert b'value="06 12345678"' in response.content


def test_picked_organisation_shows_its_open_cases(staff_client, almelo):
    open_case = CaseFactory(organisation=almelo)
    response = staff_client.get(CALL_LOG, {"organisation": almelo.pk})
    assert open_case.reference.encode() in response.content
    assert b"pso-trede_3" in response.content


# --- Saving -------------------------------------------------------------------------------------


def test_new_caller_gets_a_contact_a_case_and_the_call(staff_client, staff_user):
    response = staff_client.post(
        CALL_LOG,
        _post_data(
            q="0546 123456",
            number="0546 123456",
            caller_name="Petra Bakker",
            caller_email="petra@bakkerij.nl",
            organisation_name="Bakkerij Bakker",
        ),
        follow=True,
    )
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("case_detail", args=[case.reference])
    assert f"Call logged on case {case.reference}" in response.content.decode()
    call = case.calls.get()
    assert call.number == "+31546123456"
    assert call.logged_by == staff_user
    assert call.duration == dt.timedelta(minutes=3)
    assert case.contact.name == "Petra Bakker"
    assert case.organisation.name == "Bakkerij Bakker"
    assert case.subject == "Aspirant-status aanvragen"

    # The next call from that number, typed the international way, finds her.
    again = staff_client.get(SEARCH, {"q": "+31 546 123456"}, HTTP_HX_REQUEST="true")
    assert b"Petra Bakker" in again.content


def test_call_added_to_an_existing_open_case(staff_client, almelo, jan):
    existing = CaseFactory(organisation=almelo, contact=jan)
    response = staff_client.post(
        CALL_LOG,
        _post_data(contact=str(jan.pk), case=existing.reference, subject="", number="06-12345678"),
    )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[existing.reference])
    assert Case.objects.count() == 1
    assert existing.calls.get().number == "+31612345678"
    assert Contact.objects.count() == 1


def test_known_contact_new_case_takes_their_organisation(staff_client, almelo, jan):
    staff_client.post(CALL_LOG, _post_data(contact=str(jan.pk), number="0612345678"))
    case = Case.objects.get()
    assert case.contact == jan
    assert case.organisation == almelo
    assert case.pso_level_at_open == PsoLevel.TREDE_3


def test_invalid_number_is_a_form_error_and_nothing_typed_is_lost(staff_client):
    response = staff_client.post(
        CALL_LOG, _post_data(number="bel me maar", caller_name="Petra Bakker")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a phone number" in body
    assert 'value="bel me maar"' in body
    assert 'value="Petra Bakker"' in body
    assert "Vraagt hoe de Aspirant-status werkt." in body
    assert not Case.objects.exists()
    assert not Contact.objects.exists()


def test_overlong_subject_is_a_form_error(staff_client):
    response = staff_client.post(CALL_LOG, _post_data(subject="x" * 201))
    assert response.status_code == 200
    assert b"at most 200 characters" in response.content
    assert not Case.objects.exists()


def test_new_case_needs_a_subject(staff_client):
    response = staff_client.post(CALL_LOG, _post_data(subject=""))
    assert b"A new case needs a subject" in response.content
    assert not Case.objects.exists()


def test_closed_case_cannot_be_chosen(staff_client):
    closed = CaseFactory()
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    response = staff_client.post(CALL_LOG, _post_data(case=closed.reference))
    assert b"That case is closed" in response.content
    assert not PhoneCall.objects.exists()


def test_call_in_the_future_is_refused(staff_client):
    later = _local(timezone.now() + dt.timedelta(hours=2))
    response = staff_client.post(CALL_LOG, _post_data(started_at=later))
    assert b"cannot start in the future" in response.content


def test_started_at_is_read_as_amsterdam_time(staff_client):
    staff_client.post(CALL_LOG, _post_data(started_at="2026-07-01T10:15"))
    call = PhoneCall.objects.get()
    # 10:15 summer time in Amsterdam is 08:15 UTC.
    assert call.started_at == dt.datetime(2026, 7, 1, 8, 15, tzinfo=dt.UTC)


def test_callback_request_is_stored_as_the_outcome(staff_client):
    staff_client.post(
        CALL_LOG, _post_data(number="06-12345678", callback_requested="on", caller_name="Ans")
    )
    assert PhoneCall.objects.get().outcome == CallOutcome.CALLBACK


def test_callback_request_needs_a_number(staff_client):
    response = staff_client.post(CALL_LOG, _post_data(callback_requested="on"))
    assert b"A callback needs the number" in response.content
    assert not PhoneCall.objects.exists()


# --- Another call on a case ---------------------------------------------------------------------


def _case_call_data(**overrides):
    data = {
        "call-number": "06 12345678",
        "call-direction": "out",
        "call-started_at": _local(timezone.now() - dt.timedelta(minutes=1)),
        "call-duration_minutes": "5",
        "call-notes": "Teruggebeld, vraag beantwoord.",
        "call-outcome": CallOutcome.ANSWERED,
    }
    data.update(overrides)
    return data


def test_call_logged_on_a_case_from_its_page(staff_client):
    case = CaseFactory()
    response = staff_client.post(reverse("case_call_add", args=[case.reference]), _case_call_data())
    assert response.status_code == 302
    call = case.calls.get()
    assert call.direction == "out"
    assert call.number == "+31612345678"
    case.refresh_from_db()
    assert case.first_response_at == call.started_at


def test_bad_call_on_a_case_shows_the_case_page_with_the_error(staff_client):
    case = CaseFactory()
    response = staff_client.post(
        reverse("case_call_add", args=[case.reference]),
        _case_call_data(**{"call-number": "12", "call-duration_minutes": "-1"}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body
    assert "is not a phone number" in body
    assert "Teruggebeld, vraag beantwoord." in body
    assert not PhoneCall.objects.exists()


def test_call_on_an_unknown_case_is_not_found(staff_client):
    url = reverse("case_call_add", args=["PSO-1999-00001"])
    assert staff_client.post(url, _case_call_data()).status_code == 404


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_log_calls_and_search(request, who, jan):
    client = request.getfixturevalue(who)
    found = client.get(SEARCH, {"q": "jan"}, HTTP_HX_REQUEST="true")
    assert b"Jan Jansen" in found.content
    assert client.post(CALL_LOG, _post_data(contact=str(jan.pk))).status_code == 302
    case = Case.objects.get()
    on_case = client.post(reverse("case_call_add", args=[case.reference]), _case_call_data())
    assert on_case.status_code == 302
    assert case.calls.count() == 2
