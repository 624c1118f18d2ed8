"""A forgotten password: ask by mail, follow the link, choose a new one, sign in with it."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.staff.conftest import link_in, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "groene-tulpen-in-mei"


@pytest.fixture
def sanne(staff_user):
    staff_user.email = "sanne@pso-nederland.nl"
    staff_user.save()
    return staff_user


def ask_for_a_link(client: Client, email: str = "sanne@pso-nederland.nl"):
    return client.post(reverse("password_reset"), {"email": email})


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"], "the link in the mail should open the form"
    set_password_url = form_page.redirect_chain[-1][0]
    return client.post(set_password_url, {"new_password1": password, "new_password2": password})


def test_the_whole_way_from_the_request_to_signing_in_with_the_new_password(client, sanne):
    asked = ask_for_a_link(client)

    assert asked.status_code == 302
    assert asked["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sanne@pso-nederland.nl"]
    assert message.subject == "PSO-helpdesk: kies een nieuw wachtwoord"
    assert "Hallo Sanne de Vries," in message.body
    # Marked as sent by a machine, like every mail to staff: no out-of-office reply to it.
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    chosen = choose_password(client, link_in(message.body))

    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("password_reset_complete")
    assert sign_in(Client(), "sanne", "sanne-pass-123").status_code == 200  # the old one is gone
    signed_in = sign_in(client, "sanne", NEW_PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard")


def test_the_link_uses_the_configured_site_address_not_the_requests_host(client, sanne):
    client.post(reverse("password_reset"), {"email": sanne.email}, HTTP_HOST="localhost")

    assert f"{settings.SITE_URL}/accounts/password-reset/" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, sanne):
    asked = ask_for_a_link(client, "someone-else@example.nl")

    assert asked["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_deactivated_account_gets_no_mail(client, sanne):
    sanne.is_active = False
    sanne.save()

    ask_for_a_link(client)

    assert mail.outbox == []


def test_the_link_works_once(client, sanne):
    ask_for_a_link(client)
    link = link_in(mail.outbox[0].body)
    choose_password(client, link)

    again = Client().get(link, follow=True)

    assert again.context["validlink"] is False
    assert "Deze link werkt niet (meer)" in again.content.decode()


def test_the_new_password_must_meet_the_policy(client, sanne):
    ask_for_a_link(client)

    refused = choose_password(client, link_in(mail.outbox[0].body), password="kort-123")

    assert refused.status_code == 200
    errors = refused.context["form"].errors["new_password2"]
    assert any("De minimale lengte is 12 tekens" in error for error in errors)
    assert sign_in(Client(), "sanne", "kort-123").status_code == 200


def test_choosing_a_new_password_lifts_the_lockout_of_the_account_from_that_address(client, sanne):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "sanne", "not-my-password")
    assert sign_in(client, "sanne", "sanne-pass-123").status_code == 429

    ask_for_a_link(client)
    choose_password(client, link_in(mail.outbox[0].body))

    assert not AccessAttempt.objects.filter(username="sanne").exists()
    assert sign_in(client, "sanne", NEW_PASSWORD).status_code == 302


def test_the_pages_of_the_way_are_dutch(client, sanne):
    form = client.get(reverse("password_reset")).content.decode()
    done = client.get(reverse("password_reset_done")).content.decode()
    complete = client.get(reverse("password_reset_complete")).content.decode()

    assert "Wachtwoord vergeten?" in form
    assert "Kijk in je mail" in done
    assert "Wachtwoord opgeslagen" in complete


def test_the_sign_in_page_links_to_the_way(client):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in page


# --- Not a mail cannon --------------------------------------------------------------------


def test_one_account_gets_at_most_the_hourly_number_of_mails(client, sanne, settings):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 3

    answers = [ask_for_a_link(Client(REMOTE_ADDR=f"192.0.2.{n}")) for n in range(6)]

    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3


def test_the_hourly_limit_of_one_account_ends_with_the_hour(client, sanne, settings, time_machine):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 1
    time_machine.move_to("2026-12-01 09:00 +01:00", tick=False)
    ask_for_a_link(client)
    ask_for_a_link(client)

    time_machine.move_to("2026-12-01 10:01 +01:00", tick=False)
    ask_for_a_link(client)

    assert len(mail.outbox) == 2


def test_one_address_cannot_ask_for_many_accounts(client, settings, django_user_model):
    settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR = 5
    for n in range(8):
        django_user_model.objects.create_user(f"medewerker{n}", f"m{n}@pso-nederland.nl")

    answers = [ask_for_a_link(client, f"m{n}@pso-nederland.nl") for n in range(8)]
    from_elsewhere = ask_for_a_link(Client(REMOTE_ADDR="198.51.100.7"), "m7@pso-nederland.nl")

    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"m{n}@pso-nederland.nl" for n in range(5)] + ["m7@pso-nederland.nl"]
    )
    assert from_elsewhere["Location"] == reverse("password_reset_done")
