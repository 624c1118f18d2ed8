"""No one deletes a person's data in the administration: erasure is the one way, and it says so."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from cases.models import (
    Case,
    CaseChange,
    Contact,
    DeliveryEvent,
    InboundMessage,
    MailAttachment,
    Note,
    OutboundAttachment,
    OutboundMessage,
    PhoneCall,
)
from privacy.models import AccessEntry
from scheduling.models import Callback
from telephony.models import Call
from tests.factories import CallbackFactory, CaseFactory, ContactFactory

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")

#: Every model in the administration whose rows hold a caller's data.
PERSONAL = [
    Contact,
    Case,
    PhoneCall,
    Note,
    CaseChange,
    InboundMessage,
    MailAttachment,
    OutboundMessage,
    OutboundAttachment,
    DeliveryEvent,
    Callback,
    Call,
    AccessEntry,
]


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@pso.test", "root-pass-123")


@pytest.fixture(params=["manager", "superuser"])
def admin_client(request, client, manager_user, superuser):
    client.force_login(manager_user if request.param == "manager" else superuser)
    return client


@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m._meta.label)
def test_no_model_holding_a_persons_data_can_be_deleted_in_the_administration(
    model, manager_user, superuser
):
    model_admin = admin.site._registry[model]
    for user in (manager_user, superuser):
        request = RequestFactory().get("/admin/")
        request.user = user
        assert model_admin.has_delete_permission(request) is False
        assert "delete_selected" not in model_admin.get_actions(request)


def test_a_contact_cannot_be_deleted_by_url_and_stays_whole(admin_client):
    contact = ContactFactory(name="Jan Jansen", email="jan@almelo.nl", phone="+31546987654")
    url = reverse("admin:cases_contact_delete", args=[contact.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        reverse("admin:cases_contact_changelist"),
        {"action": "delete_selected", "_selected_action": [contact.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    kept = Contact.objects.get(pk=contact.pk)
    assert (kept.name, kept.email, kept.phones.count()) == ("Jan Jansen", "jan@almelo.nl", 1)


def test_the_contact_pages_point_to_a_persons_request(admin_client):
    contact = ContactFactory(name="Jan Jansen")
    person_url = reverse("privacy:person")
    for url in (
        reverse("admin:cases_contact_change", args=[contact.pk]),
        reverse("admin:cases_contact_changelist"),
    ):
        page = admin_client.get(url).content.decode()
        assert f'href="{person_url}"' in page and "A person's request under Privacy" in page
        assert reverse("admin:cases_contact_delete", args=[contact.pk]) not in page


def test_callbacks_and_the_phone_systems_calls_cannot_be_deleted_by_url(admin_client, staff_user):
    callback = CallbackFactory(case=CaseFactory(actor=staff_user))
    url = reverse("admin:scheduling_callback_delete", args=[callback.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Callback.objects.filter(pk=callback.pk).exists()


def test_a_contact_can_still_be_corrected_in_the_administration(admin_client):
    contact = ContactFactory(name="Jan Jansen", email="jan@almelo.nl")
    page = admin_client.get(reverse("admin:cases_contact_change", args=[contact.pk]))
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
