"""Error pages look like the rest of the helpdesk: the layout, the menu, the user's language.

The suite runs with DEBUG off, so these are the pages production shows.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

import helpdesk.context_processors
import helpdesk.views


@pytest.fixture
def staff_browser(staff_user) -> Client:
    # An exception in a view becomes the 500 page, as in production, not a test error.
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    return client


def dashboard_fails(monkeypatch) -> None:
    def broken(user):
        raise RuntimeError("the dashboard broke")

    monkeypatch.setattr(helpdesk.views.selectors, "dashboard_lists", broken)


def test_a_staff_member_on_a_manager_page_sees_the_dutch_403_with_the_menu(staff_client):
    response = staff_client.get(reverse("report"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page
    assert 'lang="nl"' in page
    assert "Uitloggen" in page
    assert reverse("call_log") in page  # the menu
    assert 'href="/static/css/helpdesk.css"' in page


def test_the_403_speaks_english_to_an_english_browser(staff_client):
    response = staff_client.get(reverse("report"), headers={"accept-language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "No access" in page
    assert "Sign out" in page


def test_an_unknown_address_gives_the_styled_404(staff_client):
    response = staff_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert "Uitloggen" in page
    assert reverse("case_list") in page


def test_an_unknown_address_gives_the_404_without_a_menu_when_signed_out(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert "Uitloggen" not in page


def test_a_view_that_raises_gives_the_styled_500_with_the_menu(staff_browser, monkeypatch):
    dashboard_fails(monkeypatch)
    response = staff_browser.get(reverse("dashboard"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er is iets misgegaan" in page
    assert "Uitloggen" in page
    assert 'href="/static/css/helpdesk.css"' in page
    assert "the dashboard broke" not in page


def test_the_500_page_still_renders_when_the_page_context_itself_fails(
    staff_browser, monkeypatch, caplog
):
    # The roles context processor runs for every page, the error page included:
    # when it fails too, the page is drawn without the request, without the menu.
    def broken(user):
        raise RuntimeError("roles unavailable")

    monkeypatch.setattr(helpdesk.context_processors, "is_manager", broken)
    response = staff_browser.get(reverse("dashboard"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er is iets misgegaan" in page
    assert "Uitloggen" not in page
    assert 'href="/static/css/helpdesk.css"' in page
    assert any("drawn without the request" in r.getMessage() for r in caplog.records)


def test_a_server_error_is_mailed_to_the_admins(staff_browser, monkeypatch, settings):
    settings.ADMINS = [("Beheer", "beheer@example.nl")]
    dashboard_fails(monkeypatch)
    assert staff_browser.get(reverse("dashboard")).status_code == 500
    assert [message.to for message in mail.outbox] == [["beheer@example.nl"]]
    assert "the dashboard broke" in mail.outbox[0].body
