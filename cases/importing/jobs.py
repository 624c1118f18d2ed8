"""Register imports in the background: upload, check in the worker, confirm, write in the worker.

A register export can hold tens of thousands of rows; checking one takes minutes,
far longer than a web request may wait. So the page only stores the file and
hands it to the worker, which runs the very same import (``organisations_import``)
as a dry run, then, once a manager confirms, for real. Each run is claimed by a
conditional update (queued → running), so a task the broker delivers twice runs
once. Progress goes through the cache (the import's transaction would hide a
database write until it ends); the outcome is recorded on the import itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.importing.organisations import organisations_import
from cases.importing.report import report_summary
from cases.models import ImportState, OrganisationImport
from periodic.queue import enqueue

log = logging.getLogger(__name__)

#: The longest a worker may spend on one file (django-q's own limit is for short tasks):
#: a 78,000-row export takes 20–80 minutes to check, and as long again to write, on
#: a two-core machine depending on its load (docs/performance.md, "Register import").
IMPORT_TIMEOUT_SECONDS = 3 * 3600
#: A running import not finished this long after it was queued or started has died
#: with its worker (or no worker took it up).
STALLED_AFTER = dt.timedelta(seconds=IMPORT_TIMEOUT_SECONDS + 300)
#: How much of the outcome the page lists; the counts are always complete.
ROWS_KEPT = 500
PROBLEMS_KEPT = 1000


def import_upload(*, file_name: str, data: bytes, user: object) -> OrganisationImport:
    """Keep an uploaded file and queue its check; the worker takes it up after the commit."""
    job = OrganisationImport.objects.create(
        file_name=file_name[:255],
        data=data,
        digest=hashlib.sha256(data).hexdigest(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    transaction.on_commit(lambda: _queue(job.pk, write=False), robust=True)
    return job


def import_confirm(*, pk: object, digest: str) -> bool:
    """Queue the writing of a checked file; False when it is not waiting for confirmation.

    The digest in the confirm form must be the checked file's, so what is
    written is what the manager saw; a second confirmation finds nothing to do.
    """
    claimed = OrganisationImport.objects.filter(
        pk=pk, digest=digest, state=ImportState.CHECKED
    ).update(state=ImportState.WRITE_QUEUED)
    if claimed:
        transaction.on_commit(lambda: _queue(pk, write=True), robust=True)
    return bool(claimed)


def _queue(pk: object, *, write: bool) -> None:
    enqueue(
        import_run, pk=str(pk), write=write, group="register-import", timeout=IMPORT_TIMEOUT_SECONDS
    )


def import_run(*, pk: str, write: bool) -> str:
    """The worker's part: claim the import, run it, record the outcome; returns a summary.

    A check with any problem ends the import as "not importable"; so does a
    write that meets a problem the check did not (the register changed in
    between), and then nothing is written. The file is dropped once it is
    imported or refused: nothing else will read it.
    """
    queued, running = (
        (ImportState.WRITE_QUEUED, ImportState.WRITING)
        if write
        else (ImportState.CHECK_QUEUED, ImportState.CHECKING)
    )
    claimed = OrganisationImport.objects.filter(pk=pk, state=queued).update(
        state=running, started_at=timezone.now()
    )
    if not claimed:
        return f"import {pk}: not waiting to be {'written' if write else 'checked'}"
    data = bytes(OrganisationImport.objects.values_list("data", flat=True).get(pk=pk))

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(pk), (done, total), IMPORT_TIMEOUT_SECONDS)

    try:
        report = organisations_import(data=data, dry_run=not write, progress=progress)
    except Exception as exc:
        log.exception("Register import %s stopped", pk)
        OrganisationImport.objects.filter(pk=pk).update(
            state=ImportState.FAILED,
            error=_("The import stopped with an error (%(error)s); nothing was written.")
            % {"error": type(exc).__name__},
            finished_at=timezone.now(),
        )
        return f"import {pk}: failed"
    if report.problems:
        state = ImportState.REJECTED
    else:
        state = ImportState.IMPORTED if write else ImportState.CHECKED
    changes: dict[str, object] = {
        "state": state,
        "report": report_summary(report, rows=ROWS_KEPT, problems=PROBLEMS_KEPT),
        "rows_total": len(report.rows) + report.empty_rows,
        "finished_at": timezone.now(),
    }
    if state != ImportState.CHECKED:
        changes["data"] = b""
    OrganisationImport.objects.filter(pk=pk).update(**changes)
    cache.delete(_progress_key(pk))
    return f"import {pk}: {state.label}"


def _progress_key(pk: object) -> str:
    return f"organisation-import:{pk}:progress"


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    stalled: bool

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def import_progress(job: OrganisationImport, *, now: dt.datetime | None = None) -> ImportProgress:
    """How far a running import is, and whether it has stalled (its worker died)."""
    done, total = cache.get(_progress_key(job.pk)) or (0, 0)
    since = job.started_at or job.created_at
    stalled = job.running and (now or timezone.now()) - since > STALLED_AFTER
    return ImportProgress(done=done, total=total, stalled=stalled)
