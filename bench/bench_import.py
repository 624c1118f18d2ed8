"""Benchmark: a large register import, checked and written by the worker (SQLite).

Run from the project root:  .venv/bin/python bench/bench_import.py [--rows 78000]

Builds a throw-away SQLite database, writes a register export of ``--rows`` rows
(every row a new organisation with a Trede 2 status and a phone number: the
heaviest kind of row) and times, separately:

* the upload as the web request does it (the form's quick read of the file and
  ``import_upload``): what a manager waits for before the progress page;
* the worker's check (``import_run`` as a dry run) and its write.

Prints rows per second of each, and the size of the file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = "naam;kvk;soort;plaats;website;e-maildomeinen;telefoon;trede;ingangsdatum;geldig_tot"


def register_export(rows: int) -> bytes:
    lines = [HEADER]
    for n in range(rows):
        lines.append(
            f"Organisatie {n};{10_000_000 + n:08d};bedrijf;Almelo;www.org{n}.nl;org{n}.nl;"
            f"0546 54{n % 10_000:04d};Trede 2;01-03-2024;28-02-2027"
        )
    return ("\n".join(lines) + "\n").encode()


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
    os.environ["HELPDESK_VAR_DIR"] = str(db_path.parent)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=78_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cases.forms_organisations import ImportUploadForm
        from cases.importing.jobs import import_run, import_upload
        from cases.models import ImportState, Organisation, OrganisationImport

        data = register_export(args.rows)
        print(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

        started = time.perf_counter()
        form = ImportUploadForm(files={"file": SimpleUploadedFile("r.csv", data, "text/csv")})
        assert form.is_valid(), form.errors
        job = import_upload(file_name="r.csv", data=form.cleaned_data["file"].read(), user=None)
        upload_s = time.perf_counter() - started
        print(f"upload (the web request's part): {upload_s:.2f} s")

        for write in (False, True):
            if write:
                OrganisationImport.objects.filter(pk=job.pk).update(state=ImportState.WRITE_QUEUED)
            started = time.perf_counter()
            outcome = import_run(pk=str(job.pk), write=write)
            seconds = time.perf_counter() - started
            kind = "write" if write else "check"
            print(
                f"{kind} (the worker): {seconds:.1f} s, {args.rows / seconds:.0f} rows/s: {outcome}"
            )
        print(f"organisations written: {Organisation.objects.count():,}")


if __name__ == "__main__":
    main()
