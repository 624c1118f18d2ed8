"""The access log: who viewed or took out personal data; append-only; one insert per view."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import MailAttachment
from privacy.digest import person_digest
from privacy.models import AccessEntry, AccessKind
from privacy.services import access_record
from tests.factories import CaseFactory, ContactFactory, InboundMessageFactory, OrganisationFactory

ACCESS_LOG_MIDDLEWARE = "privacy.middleware.AccessLogMiddleware"


@pytest.fixture
def case(db):
    contact = ContactFactory(name="Ans Aalders", email="ans@almelo.nl", phone="+31546123456")
    return CaseFactory(contact=contact, organisation=OrganisationFactory())


def test_viewing_a_case_records_who_what_when_and_from_where(staff_client, staff_user, case):
    response = staff_client.get(reverse("case_detail", args=[case.reference]))
    assert response.status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.username, entry.kind, entry.case_reference, entry.ip) == (
        staff_user,
        "sanne",
        AccessKind.CASE,
        case.reference,
        "127.0.0.1",
    )


def test_a_page_view_costs_exactly_one_insert_and_nothing_else(staff_user, case, settings):
    url = reverse("case_detail", args=[case.reference])

    def queries() -> list[str]:
        browser = Client()  # a new client loads the middleware as the settings say now
        browser.force_login(staff_user)
        browser.get(url)  # warm: session, content types, calendars
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    logged = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != ACCESS_LOG_MIDDLEWARE]
    unlogged = queries()
    assert len(logged) == len(unlogged) + 1
    touching_the_log = [sql for sql in logged if "privacy_accessentry" in sql]
    assert len(touching_the_log) == 1
    assert touching_the_log[0].startswith('INSERT INTO "privacy_accessentry"')


def test_organisation_mail_original_and_attachment_downloads_are_recorded(staff_client, case):
    message = InboundMessageFactory(case=case)
    attachment = MailAttachment.objects.create(
        message=message, filename="a.txt", content_type="text/plain", size=1, content=b"a"
    )
    staff_client.get(reverse("organisation_detail", args=[case.organisation.pk]))
    staff_client.get(reverse("mail_message", args=[message.pk]))
    staff_client.get(reverse("mail_raw", args=[message.pk]))
    staff_client.get(reverse("mail_attachment", args=[attachment.pk]))
    kinds = list(AccessEntry.objects.order_by("pk").values_list("kind", "object_id"))
    assert kinds == [
        (AccessKind.ORGANISATION, case.organisation.pk),
        (AccessKind.MAIL, message.pk),
        (AccessKind.ORIGINAL, message.pk),
        (AccessKind.ATTACHMENT, attachment.pk),
    ]


def test_csv_exports_are_recorded(manager_client):
    assert manager_client.get(reverse("report_cases_csv")).status_code == 200
    assert AccessEntry.objects.get().kind == AccessKind.CSV


def test_pages_that_showed_nothing_and_posts_are_not_recorded(staff_client, case):
    staff_client.get(reverse("case_detail", args=["PSO-1999-99999"]))  # 404
    staff_client.post(reverse("case_note_add", args=[case.reference]), {"body": "Teruggebeld"})
    staff_client.get(reverse("case_list"))  # a list, not one person's data
    assert not AccessEntry.objects.exists()


def test_a_person_search_is_recorded_by_digest_never_the_address(manager_client, case):
    manager_client.get(reverse("privacy:person"), {"q": "ANS@almelo.nl"})
    entry = AccessEntry.objects.get()
    assert entry.kind == AccessKind.PERSON_SEARCH
    assert entry.person_digest == person_digest("email", "ans@almelo.nl")
    assert "ans" not in entry.path.lower()


@pytest.fixture
def manager(manager_user):
    """A second browser, signed in as the manager (``staff_client`` is the first)."""
    browser = Client()
    browser.force_login(manager_user)
    return browser


def rows(response, delimiter: str = ";") -> list[list[str]]:
    """The export's rows; the BOM first (Excel reads UTF-8 by it), Dutch with ";"."""
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def test_managers_search_the_log_by_user_case_and_person(staff_client, manager, case):
    other = CaseFactory()
    staff_client.get(reverse("case_detail", args=[case.reference]))
    staff_client.get(reverse("case_detail", args=[other.reference]))
    log = reverse("privacy:access_log")

    by_case = manager.get(log, {"case": case.reference.lower()}).context["page"]
    assert [e.case_reference for e in by_case] == [case.reference]
    by_user = manager.get(log, {"user": "sanne"}).context["page"]
    assert len(by_user) == 2
    # By person: the views of their cases (found by any notation of their number) …
    by_person = manager.get(log, {"person": "0546-123456"}).context["page"]
    assert [(e.kind, e.case_reference) for e in by_person] == [
        (AccessKind.PERSON_SEARCH, ""),  # this very search
        (AccessKind.CASE, case.reference),
    ]
    # … and the searches for them, which the search above itself added.
    again = manager.get(log, {"person": "ans@almelo.nl"}).context["page"]
    assert [e.kind for e in again] == [AccessKind.PERSON_SEARCH] * 2 + [AccessKind.CASE]


def test_the_log_exports_as_csv_and_the_export_is_recorded(staff_client, manager, case):
    staff_client.get(reverse("case_detail", args=[case.reference]))
    response = manager.get(reverse("privacy:access_log_csv"), {"user": "sanne"})
    table = rows(response)
    # As every export: the reader's language (Dutch here), labels rather than codes.
    assert table[0][:4] == ["wanneer", "gebruiker", "IP-adres", "wat"]
    assert [(r[1], r[3], r[4]) for r in table[1:]] == [
        ("sanne", str(AccessKind.CASE.label), case.reference)
    ]
    assert AccessEntry.objects.filter(kind=AccessKind.ACCESS_LOG, username="marco").exists()


def test_the_log_export_neutralises_formulas_and_follows_a_chosen_format(manager, case):
    AccessEntry.objects.create(
        at=timezone.now(), username="=HYPERLINK(1)", kind=AccessKind.CASE, path="/x/"
    )
    response = manager.get(reverse("privacy:access_log_csv"), {"format": "en"})
    table = rows(response, delimiter=",")
    assert len(table[0]) == 7
    users = [r[1] for r in table[1:]]
    assert "'=HYPERLINK(1)" in users and "=HYPERLINK(1)" not in users


def test_a_bad_person_term_gets_a_message_not_an_error(manager):
    response = manager.get(reverse("privacy:access_log"), {"person": "geen nummer"})
    assert response.status_code == 200
    assert response.context["form"].errors["person"]


def test_staff_cannot_read_the_log(staff_client):
    assert staff_client.get(reverse("privacy:access_log")).status_code == 403


@pytest.mark.parametrize("action", ["add", "change", "delete"])
def test_nobody_changes_or_deletes_entries_in_the_administration(db, action, case):
    superuser = get_user_model().objects.create_superuser("root", "root@example.nl", "x")
    browser = Client()
    browser.force_login(superuser)
    entry = AccessEntry.objects.create(at=timezone.now(), username="sanne", kind="case")
    url = {
        "add": reverse("admin:privacy_accessentry_add"),
        "change": reverse("admin:privacy_accessentry_change", args=[entry.pk]),
        "delete": reverse("admin:privacy_accessentry_delete", args=[entry.pk]),
    }[action]
    response = browser.post(url, {"username": "someone", "kind": "case", "post": "yes"})
    assert response.status_code == 403
    assert AccessEntry.objects.get(pk=entry.pk).username == "sanne"
    # Reading is allowed: the entries can be inspected.
    assert browser.get(reverse("admin:privacy_accessentry_changelist")).status_code == 200


def test_contact_and_case_pages_in_the_administration_are_recorded(manager_client, case):
    manager_client.get(reverse("admin:cases_contact_change", args=[case.contact.pk]))
    manager_client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert list(AccessEntry.objects.order_by("pk").values_list("kind", "object_id")) == [
        (AccessKind.CONTACT, case.contact.pk),
        (AccessKind.CASE, case.pk),
    ]
    log = manager_client.get(reverse("privacy:access_log"), {"person": "ans@almelo.nl"})
    assert {(e.kind, e.object_id) for e in log.context["page"]} >= {
        (AccessKind.CONTACT, case.contact.pk),
        (AccessKind.CASE, case.pk),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_entry_on_its_own_is_committed_without_waiting_for_the_disk_and_nothing_else_is():
    user = get_user_model().objects.create_user("anouk", password="x-long-enough-123")

    with CaptureQueriesContext(connection) as captured:
        access_record(user=user, kind=AccessKind.CASE, ip="192.0.2.7", case_reference="PSO-1")

    statements = [q["sql"] for q in captured.captured_queries]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "privacy_accessentry"')]
    assert len(inserts) == 1
    if connection.vendor == "postgresql":
        # One statement, whose own transaction alone does not wait: the session is as it was.
        assert statements == inserts
        assert "set_config('synchronous_commit', 'off', true)" in inserts[0]
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    else:
        assert statements == inserts
    assert AccessEntry.objects.get().case_reference == "PSO-1"
