"""The daily retention job: what the policy says is due goes, in batches, case by case.

Five kinds, in this order: whole cases closed longer ago than the longer period;
raw originals, attachments and the phone system's raw events of cases closed longer
ago than the shorter period; mail that never became a case; the phone system's calls
nobody logged; contacts nothing keeps any more (a contact is unlinked from the cases
anonymised before, so it becomes due in the same run). Last, mailbox error texts and
access log entries older than their period go.

Every kind goes in groups of ``GROUP_SIZE`` rows per transaction: a group is committed
whole or rolled back whole, so a run stopped half-way — a crash, a deploy, the time
budget — leaves no case half done, and the next run picks up what is still due. A
failing group is redone row by row, each row in a transaction of its own, so one case
that fails is logged, counted and left whole while the rest of its group goes. (One
transaction per case would keep that promise too, at forty times the cost: a case is
some 26 statements, and a group of 50 shares them.) Ids are read in batches by key, so
memory stays flat however large the backlog. A dry run counts what a run would do and
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from cases.models import InboundMessage
from cases.search.schema import compact as search_index_compact
from periodic import cron_schedule_ensure
from privacy.anonymise.case import cases_anonymise
from privacy.anonymise.contact import contacts_anonymise
from privacy.anonymise.mailboxes import mailbox_errors_due
from privacy.anonymise.rows import inbound_wipe, originals_remove
from privacy.anonymise.telephony import call_payloads_remove, calls_of_cases, calls_wipe
from privacy.models import RetentionPolicy, RetentionRun
from privacy.selectors import (
    access_entries_due,
    calls_without_case_due,
    cases_due_for_anonymising,
    cases_due_for_removing_originals,
    contacts_due,
    mail_without_case_due,
    mailbox_errors_old,
    retention_policy,
)
from telephony.models import Call

log = logging.getLogger(__name__)

BATCH_SIZE = 500
#: Originals, mails, calls or contacts per transaction (a case is always alone in its
#: own): each is one or two statements, done whole or not at all, and a group is far
#: cheaper than a commit each. A group that fails is done again one by one.
GROUP_SIZE = 50
#: A scheduled run stops starting new cases after this long, under django-q's
#: 300-second task timeout; what is left is done by the follow-up run.
TIME_BUDGET_SECONDS = 240.0
#: How many due case references the dry run lists on the page.
PREVIEW_SIZE = 50


@dataclass(frozen=True)
class Cutoffs:
    originals: dt.datetime
    cases: dt.datetime
    contacts: dt.datetime
    access_log: dt.datetime

    @classmethod
    def of(cls, policy: RetentionPolicy, now: dt.datetime) -> Cutoffs:
        def back(months: int) -> dt.datetime:
            return now - relativedelta(months=months)

        return cls(
            originals=back(policy.remove_originals_after_months),
            cases=back(policy.anonymise_cases_after_months),
            contacts=back(policy.anonymise_contacts_after_months),
            access_log=back(policy.access_log_months),
        )


def _due(cutoffs: Cutoffs) -> dict[str, QuerySet]:
    return {
        "cases_anonymised": cases_due_for_anonymising(cutoffs.cases),
        "originals_removed": cases_due_for_removing_originals(cutoffs.originals),
        "mail_without_case_wiped": mail_without_case_due(cutoffs.originals),
        "calls_without_case_wiped": calls_without_case_due(cutoffs.originals),
        "contacts_anonymised": contacts_due(cutoffs.contacts),
    }


def retention_preview(*, now: dt.datetime | None = None) -> tuple[dict[str, int], list[str]]:
    """What the next run would do: counts per kind, and the first due case references."""
    cutoffs = Cutoffs.of(retention_policy(), now or timezone.now())
    due = _due(cutoffs)
    # Each kind as it will be when the run reaches it: the cases anonymised first
    # lose their originals with the rest and release their contacts.
    leaving = due["cases_anonymised"]
    due["originals_removed"] = due["originals_removed"].exclude(pk__in=leaving.values("pk"))
    due["contacts_anonymised"] = contacts_due(
        cutoffs.contacts,
        leaving_cases=leaving,
        leaving_mail=due["mail_without_case_wiped"],
        leaving_calls=due["calls_without_case_wiped"],
    )
    counts = {kind: qs.count() for kind, qs in due.items()}
    counts["mailbox_errors_blanked"] = mailbox_errors_old(cutoffs.originals).count()
    counts["access_log_deleted"] = access_entries_due(cutoffs.access_log).count()
    references = list(due["cases_anonymised"].values_list("reference", flat=True)[:PREVIEW_SIZE])
    return counts, references


def _batches(queryset: QuerySet, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        pks = list(queryset.filter(pk__gt=last).values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def _originals(pks: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        originals_remove(InboundMessage.objects.filter(case_id__in=pks))
        call_payloads_remove(calls_of_cases(pks))
    return len(pks)


def _cases(pks: list[int], now: dt.datetime) -> int:
    return cases_anonymise(case_pks=pks, now=now, compact=False).get("cases", 0)


def _mail(pks: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        return inbound_wipe(InboundMessage.objects.filter(pk__in=pks))


def _calls(pks: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        return calls_wipe(Call.objects.filter(pk__in=pks))


def _contacts(pks: list[int], now: dt.datetime) -> int:
    return contacts_anonymise(contact_pks=pks, now=now, compact=False).get("contacts", 0)


#: kind → what is done to a group of due rows (by key); each call is one transaction,
#: so every case (or contact, or mail) is done whole or not at all.
ACTIONS: dict[str, Callable[[list[int], dt.datetime], int]] = {
    "cases_anonymised": _cases,
    "originals_removed": _originals,
    "mail_without_case_wiped": _mail,
    "calls_without_case_wiped": _calls,
    "contacts_anonymised": _contacts,
}
#: Rows per transaction, per kind: each group whole or not at all.
TRANSACTION_ROWS = dict.fromkeys(ACTIONS, GROUP_SIZE)


@contextmanager
def _commits_not_waiting_for_the_disk() -> Iterator[None]:
    """On PostgreSQL, the job's commits do not wait for the write-ahead log to reach disk.

    One transaction per case means tens of thousands of commits, and on a busy disk each
    waited ~100 ms (``docs/performance.md``). Without the wait a commit is still atomic:
    a server crash can lose the last commits, each whole, never half a case, and the
    next run does those cases again (the job is idempotent). Only this session, only
    while the job runs.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _apply(kind: str, pks: list[int], now: dt.datetime, counts: dict[str, int]) -> None:
    """A group in one transaction; when it fails, each row alone, so one bad row stays."""
    try:
        counts[kind] += ACTIONS[kind](pks, now)
        return
    except Exception:
        if len(pks) == 1:
            log.exception("Retention: %s of %s failed", kind, pks[0])
            counts["errors"] += 1
            return
    for pk in pks:
        _apply(kind, [pk], now, counts)


def retention_run(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    time_budget: float | None = None,
) -> RetentionRun:
    """Apply the retention policy (or, with ``dry_run``, only count); returns the run's record.

    ``run.counts["unfinished"]`` is 1 when the time budget ran out with work left.
    """
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run)
    if dry_run:
        run.counts, _references = retention_preview(now=now)
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        return run
    cutoffs = Cutoffs.of(retention_policy(), now)
    started = time.monotonic()
    counts = dict.fromkeys([*ACTIONS, "mailbox_errors_blanked", "access_log_deleted", "errors"], 0)
    out_of_time = False
    try:
        with _commits_not_waiting_for_the_disk():
            for kind, queryset in _due(cutoffs).items():
                size = TRANSACTION_ROWS[kind]
                for batch in _batches(queryset, batch_size):
                    for start in range(0, len(batch), size):
                        if time_budget is not None and time.monotonic() - started > time_budget:
                            out_of_time = True
                            break
                        _apply(kind, batch[start : start + size], now, counts)
                    search_index_compact(connection)  # nothing erased stays in the index
                    _progress(run, counts)
                    if out_of_time:
                        break
                if out_of_time:
                    break
            if not out_of_time:
                counts["mailbox_errors_blanked"] = mailbox_errors_due(cutoffs.originals)
                counts["access_log_deleted"] = _delete_in_batches(
                    access_entries_due(cutoffs.access_log), batch_size
                )
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        counts["unfinished"] = int(out_of_time)
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at", "error"])
        log.info("Retention run %s: %s", run.pk, counts)
    return run


def _progress(run: RetentionRun, counts: dict[str, int]) -> None:
    RetentionRun.objects.filter(pk=run.pk).update(counts=counts)


def _delete_in_batches(queryset: QuerySet[Model], size: int) -> int:
    deleted = 0
    for batch in _batches(queryset.order_by("pk"), size):
        deleted += queryset.model.objects.filter(pk__in=batch).delete()[0]
    return deleted


RETENTION_SCHEDULE_NAME = "privacy-retention"
RETENTION_TASK = "privacy.tasks.retention_daily"
#: Every night at 03:30 Dutch time, when nobody works cases.
RETENTION_CRON = "30 3 * * *"


def retention_schedule_ensure(*, schedule_model: type | None = None) -> object:
    """Create or update the nightly django-q schedule of the job (one row, by name)."""
    return cron_schedule_ensure(
        name=RETENTION_SCHEDULE_NAME,
        func=RETENTION_TASK,
        cron=RETENTION_CRON,
        schedule_model=schedule_model,
    )
