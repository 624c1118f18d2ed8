"""The register import: reading exports, reporting every bad row, writing all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.importing import (
    decode,
    organisations_import,
    parse_date,
    parse_kind,
    parse_level,
    sniff_delimiter,
)
from cases.models import Organisation, PhoneNumber, PsoLevel, PsoStatus
from cases.models.organisations import PsoSource

pytestmark = pytest.mark.usefixtures("english")


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADER = (
    "naam;kvk;soort;plaats;website;e-maildomeinen;telefoon;trede;ingangsdatum;geldig_tot;"
    "certificaatnummer"
)


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), PsoStatus.objects.count(), PhoneNumber.objects.count()


# --- Reading values (no database) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Aspirant", PsoLevel.ASPIRANT),
        ("Aspirant-status", PsoLevel.ASPIRANT),
        ("Trede 1", PsoLevel.TREDE_1),
        ("trede_2", PsoLevel.TREDE_2),
        ("TREDE-3", PsoLevel.TREDE_3),
        ("3", PsoLevel.TREDE_3),
        ("geen", PsoLevel.NONE),
        ("none", PsoLevel.NONE),
        ("", None),
    ],
)
def test_levels_are_read_in_the_ways_registers_write_them(text, level):
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["Trede 4", "gold", "trede"])
def test_an_unknown_level_is_refused(text):
    with pytest.raises(ValueError):
        parse_level(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("01-03-2024", dt.date(2024, 3, 1)),
        ("1-3-2024", dt.date(2024, 3, 1)),
        ("01/03/2024", dt.date(2024, 3, 1)),
        ("01.03.2024", dt.date(2024, 3, 1)),
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("", None),
    ],
)
def test_dutch_and_iso_dates_are_read(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31-02-2025", "2025/13/01", "maart 2024", "03-01-24"])
def test_impossible_or_unclear_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_kinds_are_read_in_dutch_and_english():
    assert parse_kind("Gemeente") == "gemeente"
    assert parse_kind("SW-bedrijf") == "sw_bedrijf"
    assert parse_kind("company") == "bedrijf"
    assert parse_kind("") is None


def test_the_delimiter_is_taken_from_the_header():
    assert sniff_delimiter("naam;kvk;plaats") == ";"
    assert sniff_delimiter("name,kvk,city") == ","
    assert sniff_delimiter("name\tkvk") == "\t"
    assert sniff_delimiter("naam") == ","


def test_windows_1252_is_decoded_when_the_bytes_are_not_utf8():
    assert decode("Café Zuidas".encode("cp1252")) == "Café Zuidas"
    assert decode(b"\xef\xbb\xbfnaam") == "naam"


# --- Importing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sample_register_creates_organisations_statuses_and_phones():
    report = organisations_import(
        data=(FIXTURES / "register_sample.csv").read_bytes(), dry_run=False
    )

    assert report.problems == []
    assert report.written
    almelo = Organisation.objects.get(kvk_number="08175987")
    assert almelo.name == "Gemeente Almelo"
    assert almelo.kind == "gemeente"
    assert almelo.website == "https://www.almelo.nl"
    assert almelo.domains == ["almelo.nl"]
    assert list(almelo.phones.values_list("number", flat=True)) == ["+31546541111"]
    status = almelo.pso_statuses.get()
    assert (status.level, status.effective_from, status.valid_until, status.reference) == (
        PsoLevel.TREDE_3,
        dt.date(2024, 3, 1),
        dt.date(2027, 2, 28),
        "PSO-2024-0311",
    )
    assert status.source == PsoSource.IMPORT
    ter_horst = Organisation.objects.get(kvk_number="41024455")
    assert ter_horst.domains == ["terhorstbouw.nl", "terhorst.nl"]
    assert list(ter_horst.pso_statuses.values_list("level", flat=True)) == [
        PsoLevel.TREDE_1,
        PsoLevel.ASPIRANT,
    ]
    # Aspirant without an end date runs two years.
    assert ter_horst.pso_statuses.get(level=PsoLevel.ASPIRANT).valid_until == dt.date(2027, 9, 1)
    # "geen" without a date: the organisation, no status record.
    assert not Organisation.objects.get(name="Stichting Groen Werk").pso_statuses.exists()


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing():
    data = (FIXTURES / "register_sample.csv").read_bytes()
    organisations_import(data=data, dry_run=False)
    before = counts()

    report = organisations_import(data=data, dry_run=False)

    assert counts() == before
    assert report.problems == []
    assert {r.action for r in report.rows} == {"unchanged"}
    assert report.statuses_added == 0
    assert report.statuses_existing == 4


@pytest.mark.django_db
def test_dry_run_reports_what_it_would_do_and_writes_nothing():
    report = organisations_import(
        data=(FIXTURES / "register_sample.csv").read_bytes(), dry_run=True
    )

    assert counts() == (0, 0, 0)
    assert not report.written
    assert report.organisations_created == 4
    assert report.statuses_added == 4
    assert [r.action for r in report.rows] == ["create", "create", "create", "unchanged", "create"]


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_written():
    Organisation.objects.create(name="Gemeente Hengelo", kvk_number="11112222")
    data = csv_bytes(
        "Goed Bedrijf;12345678;bedrijf;Almelo;;goed.nl;;Trede 1;01-01-2025;;C1",
        "Kort KvK;1234;bedrijf;;;;;;;;",
        "Vrije Mail;;bedrijf;;;gmail.com;;;;;",
        "Slecht Nummer;;bedrijf;;;;12;;;;",
        ";;bedrijf;;;;;;;;",
        "Rare Trede;;bedrijf;;;;;Trede 7;01-01-2025;;",
        "Rare Datum;;bedrijf;;;;;Aspirant;31-02-2025;;",
        "Omgekeerd;;bedrijf;;;;;Trede 2;01-01-2025;01-01-2024;",
        "Zonder Datum;;bedrijf;;;;;Trede 2;;;",
        "Gemeente Hengelo;99998888;gemeente;;;;;;;;",
        "X" * 201 + ";;bedrijf;;;;;;;;",
    )
    report = organisations_import(data=data, dry_run=False)

    assert counts() == (1, 0, 0)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (3, "kvk"),
        (4, "e-maildomeinen"),
        (5, "telefoon"),
        (6, "naam"),
        (7, "trede"),
        (8, "ingangsdatum"),
        (9, "geldig_tot"),
        (10, "ingangsdatum"),
        (11, "kvk"),
        (12, "naam"),
    }
    messages = {p.row: p.message for p in report.problems}
    assert "8 digits" in messages[3]
    assert "gmail.com" in messages[4]
    assert "“12” is not a phone number" in messages[5]
    assert "Trede 7" in messages[7]
    assert "31-02-2025" in messages[8]
    assert "Gemeente Hengelo" in messages[11]
    assert "11112222" in messages[11]
    assert "200" in messages[12]


@pytest.mark.django_db
def test_a_real_run_with_one_bad_row_writes_nothing_at_all():
    data = csv_bytes(
        "Goed Bedrijf;12345678;bedrijf;;;;;Trede 1;01-01-2025;;",
        "Slecht Bedrijf;123;bedrijf;;;;;;;;",
    )
    report = organisations_import(data=data, dry_run=False)

    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [(3, "kvk")]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_upsert_by_kvk_updates_the_organisation_and_keeps_what_the_file_leaves_empty():
    org = Organisation.objects.create(
        name="Soweco NV", kvk_number="06033410", city="Almelo", email_domains="soweco.nl"
    )
    PhoneNumber.objects.create(organisation=org, number="+31546830600")
    data = csv_bytes("Soweco;06033410;SW-bedrijf;;;soweco-groep.nl;0546 830 601;;;;")

    report = organisations_import(data=data, dry_run=False)

    assert report.problems == []
    org.refresh_from_db()
    assert org.name == "Soweco"
    assert org.city == "Almelo"
    assert org.kind == "sw_bedrijf"
    assert org.domains == ["soweco.nl", "soweco-groep.nl"]
    assert set(org.phones.values_list("number", flat=True)) == {"+31546830600", "+31546830601"}
    assert report.rows[0].action == "update"
    assert "“Soweco NV” → “Soweco”" in " ".join(report.rows[0].changed)
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_without_kvk_the_organisation_is_found_by_exact_name_and_gets_the_kvk():
    org = Organisation.objects.create(name="Gemeente Almelo")
    organisations_import(data=csv_bytes("Gemeente Almelo;08175987;gemeente;;;;;;;;"), dry_run=False)

    org.refresh_from_db()
    assert org.kvk_number == "08175987"
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_one_kvk_number_for_two_names_in_a_file_is_reported():
    data = csv_bytes(
        "Gemeente Almelo;08175987;gemeente;;;;;;;;",
        "Gemeente Almere;08175987;gemeente;;;;;;;;",
    )
    report = organisations_import(data=data, dry_run=True)

    assert [(p.row, p.column) for p in report.problems] == [(3, "kvk")]
    assert "Gemeente Almelo" in report.problems[0].message
    assert "row 2" in report.problems[0].message


@pytest.mark.django_db
def test_english_headers_commas_and_a_bom_are_understood():
    data = b"\xef\xbb\xbf" + csv_bytes(
        '"Municipality of Almelo",08175987,municipality,Almelo,,,"0546 541 111, 0546 541 112",'
        '"Trede 3",2024-03-01,2027-02-28,PSO-1',
        header=(
            "name,kvk number,kind,city,website,email domains,phone,level,effective from,"
            "valid until,certificate number"
        ),
    )
    report = organisations_import(data=data, dry_run=False)

    assert report.problems == []
    org = Organisation.objects.get()
    assert org.name == "Municipality of Almelo"
    assert org.phones.count() == 2
    assert org.pso_statuses.get().level == PsoLevel.TREDE_3


@pytest.mark.django_db
def test_a_windows_1252_file_with_semicolons_is_imported():
    data = csv_bytes("Café De Kroon;;bedrijf;Oldenzaal;;;;;;;", encoding="cp1252")
    report = organisations_import(data=data, dry_run=False)

    assert report.problems == []
    assert Organisation.objects.get().name == "Café De Kroon"


@pytest.mark.django_db
def test_a_file_without_a_name_column_is_refused_as_a_whole():
    report = organisations_import(data=b"kvk;plaats\n12345678;Almelo\n", dry_run=False)

    assert len(report.problems) == 1
    assert report.problems[0].row == 0
    assert "naam" in report.problems[0].message
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_unknown_columns_are_listed_and_empty_rows_skipped():
    data = csv_bytes("Bedrijf A;;bedrijf;;;;;;;;;x", ";;;;;;;;;;;", header=HEADER + ";kleur")
    report = organisations_import(data=data, dry_run=False)

    assert report.problems == []
    assert report.ignored_columns == ["kleur"]
    assert report.empty_rows == 1
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_a_date_without_a_level_is_reported_instead_of_dropped():
    report = organisations_import(
        data=csv_bytes("Bedrijf A;;bedrijf;;;;;;01-01-2025;;C-1"), dry_run=True
    )
    assert [(p.row, p.column) for p in report.problems] == [(2, "trede")]


@pytest.mark.django_db
def test_the_command_writes_and_a_dry_run_does_not(capsys):
    path = FIXTURES / "register_sample.csv"
    call_command("import_organisations", str(path), "--dry-run", skip_checks=True)
    assert Organisation.objects.count() == 0
    assert "Dry run" in capsys.readouterr().out

    call_command("import_organisations", str(path), skip_checks=True)
    assert Organisation.objects.count() == 4


@pytest.mark.django_db
def test_the_command_fails_with_the_problems_listed(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("Kort KvK;1234;bedrijf;;;;;;;;"))

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_organisations", str(path), skip_checks=True)
    assert "row 2, column kvk" in capsys.readouterr().err
    assert Organisation.objects.count() == 0
