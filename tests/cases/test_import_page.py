"""The register import page: managers only; the worker checks the file, a manager confirms.

Checking a register export of tens of thousands of rows takes minutes, so the page
only keeps the file and the worker runs the import (dry run first, then for real).
The suite runs queued tasks at once (Q_SYNC), after the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.importing import jobs
from cases.models import ImportState, Organisation, OrganisationImport, PsoStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a file and follow to its import page, the worker's check run after the commit."""

    def _upload(client, data: bytes, name: str = "register.csv", *, worker: bool = True):
        with django_capture_on_commit_callbacks(execute=worker):
            response = client.post(
                reverse("organisation_import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
            )
        if response.status_code != 302:
            return response
        page = client.get(response["Location"])
        page.redirect_chain = [(response["Location"], 302)]
        return page

    return _upload


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def _confirm(client, job: OrganisationImport, digest: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("organisation_import_job", args=[job.pk]),
                {"confirm": "1", "digest": job.digest if digest is None else digest},
            )
        return client.get(response["Location"])

    return _confirm


def sample() -> bytes:
    return (FIXTURES / "register_sample.csv").read_bytes()


def the_import() -> OrganisationImport:
    return OrganisationImport.objects.get()


@pytest.mark.django_db
def test_staff_get_403_on_the_import_page(staff_client, upload):
    assert staff_client.get(reverse("organisation_import")).status_code == 403
    assert upload(staff_client, sample()).status_code == 403
    assert not OrganisationImport.objects.exists()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_preview_shows_what_would_happen_and_writes_nothing(manager_client, upload):
    response = upload(manager_client, sample())

    assert response.status_code == 200
    assert response.redirect_chain == [
        (reverse("organisation_import_job", args=[the_import().pk]), 302)
    ]
    assert the_import().state == ImportState.CHECKED
    content = response.content.decode()
    assert "Preview of register.csv" in content
    assert "Organisations: 4 new, 0 updated. Statuses: 4 new, 0 already recorded." in content
    assert 'name="confirm"' in content
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_confirming_the_preview_imports_the_file(manager_client, upload, confirm):
    upload(manager_client, sample())

    response = confirm(manager_client, the_import())

    assert "This file has been imported." in response.content.decode()
    assert Organisation.objects.count() == 4
    assert PsoStatus.objects.filter(source="import").count() == 4
    assert the_import().state == ImportState.IMPORTED
    assert bytes(the_import().data) == b"", "the file is not kept once it is imported"


@pytest.mark.django_db
def test_a_second_confirmation_imports_nothing_twice(manager_client, upload, confirm):
    upload(manager_client, sample())
    confirm(manager_client, the_import())

    response = confirm(manager_client, the_import())

    assert "not waiting for confirmation" in response.content.decode()
    assert PsoStatus.objects.filter(source="import").count() == 4


@pytest.mark.django_db
def test_a_file_with_problems_lists_each_and_offers_no_confirmation(manager_client, upload):
    data = (
        b"naam;kvk;trede;ingangsdatum\n"
        b"Goed Bedrijf;12345678;Trede 1;01-01-2025\n"
        b"Kort KvK;123;;\n"
        b"Rare Trede;;Trede 9;01-01-2025\n"
    )

    response = upload(manager_client, data)

    content = response.content.decode()
    assert "2 problems: nothing will be written" in content
    problems = [(p["row"], p["column"]) for p in response.context["report"]["problems"]]
    assert problems == [(3, "kvk"), (4, "trede")]
    assert 'name="confirm"' not in content
    assert the_import().state == ImportState.REJECTED
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_confirming_without_a_matching_preview_writes_nothing(manager_client, upload, confirm):
    upload(manager_client, sample())
    response = confirm(manager_client, the_import(), digest="not-the-file")
    assert "not waiting for confirmation" in response.content.decode()
    assert the_import().state == ImportState.CHECKED
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_file_with_problems_cannot_be_confirmed(manager_client, upload, confirm):
    upload(manager_client, b"naam;kvk\nKort KvK;123\n")
    confirm(manager_client, the_import())
    assert the_import().state == ImportState.REJECTED
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_uploading_nothing_reshows_the_form_with_a_message(manager_client):
    response = manager_client.post(reverse("organisation_import"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_a_binary_file_is_refused_with_a_message_not_a_server_error(manager_client, upload):
    response = upload(manager_client, b"\x81\x8d\x8f\x90\x9d" * 10, name="foto.csv")
    assert response.status_code == 200
    assert "neither UTF-8 nor Windows-1252" in response.content.decode()


# --- The request only keeps the file; the worker does the work --------------------------------


@pytest.mark.django_db
def test_the_upload_answers_before_the_check_and_the_page_follows_the_worker(
    manager_client, upload
):
    response = upload(manager_client, sample(), worker=False)

    job = the_import()
    assert job.state == ImportState.CHECK_QUEUED
    assert "Waiting for the background worker" in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_the_progress_fragment_shows_the_rows_done_then_asks_for_a_reload(manager_client, upload):
    upload(manager_client, sample(), worker=False)
    job = the_import()
    url = reverse("organisation_import_job", args=[job.pk]) + "?progress=1"
    cache.set(jobs._progress_key(job.pk), (600, 2400))

    running = manager_client.get(url)
    assert "600 of 2400 rows (25%)" in running.content.decode()
    assert '<progress max="2400" value="600"' in running.content.decode()

    jobs.import_run(pk=str(job.pk), write=False)
    finished = manager_client.get(url)
    assert finished.status_code == 204
    assert finished["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_the_worker_reports_progress_while_it_checks(manager_client, upload, monkeypatch):
    monkeypatch.setattr("cases.importing.organisations.PROGRESS_EVERY", 2)
    seen: list[tuple[int, int]] = []

    class RecordingCache:
        def set(self, key, value, timeout):
            seen.append(value)

        def get(self, key):
            return None

        def delete(self, key):
            pass

    monkeypatch.setattr(jobs, "cache", RecordingCache())

    upload(manager_client, sample())

    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]  # five rows, one of them empty


@pytest.mark.django_db
def test_a_task_delivered_twice_checks_the_file_once(manager_client, upload):
    upload(manager_client, sample())
    job = the_import()
    checked_at = job.finished_at

    again = jobs.import_run(pk=str(job.pk), write=False)

    assert "not waiting" in again
    assert the_import().finished_at == checked_at


@pytest.mark.django_db
def test_a_register_that_changed_after_the_check_is_not_written(manager_client, upload, confirm):
    upload(manager_client, b"naam;kvk\nNieuw Bedrijf;12345678\n")
    # Between the check and the confirmation, a colleague registers the name under
    # another KvK number: the row now names a namesake, which the import refuses.
    OrganisationFactory(name="Nieuw Bedrijf", kvk_number="87654321")

    response = confirm(manager_client, the_import())

    assert the_import().state == ImportState.REJECTED
    assert "was not imported" in response.content.decode()
    assert list(Organisation.objects.values_list("name", "kvk_number")) == [
        ("Nieuw Bedrijf", "87654321")
    ]


@pytest.mark.django_db
def test_an_error_in_the_worker_is_shown_and_writes_nothing(manager_client, upload, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "organisations_import", broken)

    response = upload(manager_client, sample())

    assert the_import().state == ImportState.FAILED
    assert "The import stopped with an error (RuntimeError)" in response.content.decode()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_an_import_whose_worker_died_says_so(manager_client, upload, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    upload(manager_client, sample(), worker=False)
    time_machine.shift(jobs.STALLED_AFTER * 2)

    response = manager_client.get(reverse("organisation_import_job", args=[the_import().pk]))

    assert "stopped without finishing" in response.content.decode()
    assert "every 1s" not in response.content.decode()


@pytest.mark.django_db
def test_a_long_outcome_lists_the_first_rows_and_counts_them_all(
    manager_client, upload, monkeypatch
):
    monkeypatch.setattr(jobs, "ROWS_KEPT", 2)
    monkeypatch.setattr(jobs, "PROBLEMS_KEPT", 1)
    bad = b"naam;kvk\n" + b"".join(b"Bedrijf %d;12\n" % i for i in range(3))

    good = upload(manager_client, sample()).content.decode()
    refused = upload(manager_client, bad).content.decode()

    assert "The first 2 of 5 rows are listed." in good
    assert "Organisations: 4 new" in good
    assert "3 problems: nothing will be written" in refused
    assert "The first 1 of 3 problems are listed." in refused


@pytest.mark.django_db
def test_the_import_page_lists_recent_imports(manager_client, upload):
    upload(manager_client, sample(), name="maart.csv")
    page = manager_client.get(reverse("organisation_import")).content.decode()
    assert "maart.csv" in page
    assert "checked, waiting for confirmation" in page
