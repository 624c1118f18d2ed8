"""``manage.py ingest_email``: one line per message, non-zero only when nothing could be stored."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, InboundMessage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


@pytest.fixture
def ingest(db, django_capture_on_commit_callbacks):
    def _ingest(*paths: str, stdin=None) -> list[str]:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("ingest_email", *paths, stdout=out, stdin=stdin)
        return out.getvalue().splitlines()

    return _ingest


def test_one_file_prints_its_case_reference_and_new(ingest):
    path = str(FIXTURES / "plain_nl.eml")
    lines = ingest(path)
    case = Case.objects.get()
    assert lines == [f"{path}: {case.reference} new"]


def test_a_directory_of_eml_files_and_a_duplicate(ingest, tmp_path):
    for name in ("plain_nl.eml", "latin1_qp.eml", "list_newsletter.eml", "loop_own.eml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a message")
    (tmp_path / "zz_again.eml").write_bytes((FIXTURES / "plain_nl.eml").read_bytes())

    lines = ingest(str(tmp_path))

    by_name = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in lines}
    assert set(by_name) == {
        "latin1_qp.eml",
        "list_newsletter.eml",
        "loop_own.eml",
        "plain_nl.eml",
        "zz_again.eml",
    }
    plain = Case.objects.get(subject__startswith="Vraag over Trede 2")
    assert by_name["plain_nl.eml"] == f"{plain.reference} new"
    assert by_name["zz_again.eml"] == f"{plain.reference} duplicate"
    assert by_name["latin1_qp.eml"].endswith(" new")
    assert by_name["list_newsletter.eml"].startswith(
        "- quarantined: automatic message without a case"
    )
    assert by_name["loop_own.eml"] == "- quarantined: mail loop"
    assert InboundMessage.objects.count() == 4


def test_reply_through_standard_input(ingest):
    ingest(str(FIXTURES / "plain_nl.eml"))
    case = Case.objects.get()
    reply = (
        b"From: j.devries@almelo.nl\r\nSubject: Re: vraag\r\nMessage-ID: <stdin-1@almelo.nl>\r\n"
        b"In-Reply-To: <20261124101455.4711@mail.almelo.nl>\r\n\r\nDank!\r\n"
    )
    stdin = io.TextIOWrapper(io.BytesIO(reply), encoding="utf-8")
    assert ingest("-", stdin=stdin) == [f"-: {case.reference} reply"]


def test_every_nasty_fixture_is_taken_in_without_an_internal_error(ingest):
    lines = ingest(str(FIXTURES))
    assert len(lines) == len(list(FIXTURES.glob("*.eml")))
    assert not any("could not be processed" in line for line in lines), lines


def test_a_missing_file_is_reported_and_exits_non_zero(ingest):
    with pytest.raises(CommandError):
        ingest(str(FIXTURES / "does-not-exist.eml"))


def test_a_message_that_cannot_be_stored_exits_non_zero(ingest, monkeypatch):
    import cases.management.commands.ingest_email as command

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(command, "mail_receive_many", broken)
    with pytest.raises(CommandError):
        ingest(str(FIXTURES / "plain_nl.eml"))


def test_a_new_case_from_mail_takes_a_bounded_number_of_queries(
    ingest, django_assert_max_num_queries
):
    """Store, parse, open the case, start its clock once, acknowledge: no repeated look-ups."""
    ingest(str(FIXTURES / "latin1_qp.eml"))  # the year's counter and the sender exist now
    # 39 before the target was looked up once; 35 before the duplicate look-up, the
    # counter, the case's checks, the acknowledgement's limits and the message's read
    # were each done in one query (or none).
    with django_assert_max_num_queries(28):
        lines = ingest(str(FIXTURES / "plain_nl.eml"))
    assert lines[0].endswith(" new")
    case = Case.objects.get(subject__icontains="trede")
    assert case.due_at is not None and case.sla_target is not None
