"""The register import page: managers only, preview first, confirm to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Organisation, PsoStatus

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def upload(client, data: bytes, name: str = "register.csv"):
    return client.post(
        reverse("organisation_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def sample() -> bytes:
    return (FIXTURES / "register_sample.csv").read_bytes()


@pytest.mark.django_db
def test_staff_get_403_on_the_import_page(staff_client):
    assert staff_client.get(reverse("organisation_import")).status_code == 403
    assert upload(staff_client, sample()).status_code == 403
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_preview_shows_what_would_happen_and_writes_nothing(manager_client):
    response = upload(manager_client, sample())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Preview of register.csv" in content
    assert "Organisations: 4 new, 0 updated. Statuses: 4 new, 0 already recorded." in content
    assert 'name="confirm"' in content
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_confirming_the_preview_imports_the_file(manager_client):
    preview = upload(manager_client, sample())

    response = manager_client.post(
        reverse("organisation_import"), {"confirm": "1", "digest": preview.context["digest"]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_list")
    assert Organisation.objects.count() == 4
    assert PsoStatus.objects.filter(source="import").count() == 4


@pytest.mark.django_db
def test_a_file_with_problems_lists_each_and_offers_no_confirmation(manager_client):
    data = (
        b"naam;kvk;trede;ingangsdatum\n"
        b"Goed Bedrijf;12345678;Trede 1;01-01-2025\n"
        b"Kort KvK;123;;\n"
        b"Rare Trede;;Trede 9;01-01-2025\n"
    )

    response = upload(manager_client, data)

    content = response.content.decode()
    assert "2 problems: nothing will be written" in content
    problems = [(p.row, p.column) for p in response.context["report"].problems]
    assert problems == [(3, "kvk"), (4, "trede")]
    assert 'name="confirm"' not in content
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_confirming_without_a_matching_preview_writes_nothing(manager_client):
    upload(manager_client, sample())
    response = manager_client.post(
        reverse("organisation_import"), {"confirm": "1", "digest": "not-the-file"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_import")
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_uploading_nothing_reshows_the_form_with_a_message(manager_client):
    response = manager_client.post(reverse("organisation_import"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_a_binary_file_is_refused_with_a_message_not_a_server_error(manager_client):
    response = upload(manager_client, b"\x81\x8d\x8f\x90\x9d" * 10, name="foto.csv")
    assert response.status_code == 200
    assert "neither UTF-8 nor Windows-1252" in response.content.decode()
