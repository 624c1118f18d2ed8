"""Demo data: a believable helpdesk to click through, made through the same services as real work.

About 50 organisations on every rung of the PSO ladder (Almelo at Trede 3, some
with a history of several steps, a few whose status ends soon), their contacts,
about 300 cases over the last three months with calls (some outside phone
hours), mail threads (the customer's mail, the acknowledgement, answers and replies),
notes and status changes, canned answers and signatures, a merged pair, and two demo
accounts. The same seed gives the
same data for the same day. Running it again changes nothing: the marker
organisation says the demo data is there.

What each part makes lives in its own module: ``accounts``, ``organisations`` (with their
contacts), ``casework`` (cases, calls, notes, status), ``mail`` (mail cases through the
intake), ``showcase`` (the cases that show each workspace feature) and ``callbacks``;
``run`` holds what they share. The names below stay importable from here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Category, Contact, Organisation
from helpdesk.demo.accounts import ACCOUNTS, DemoAccount, demo_account_ensure
from helpdesk.demo.callbacks import QUEUED_CALLBACKS, demo_waiting_caller
from helpdesk.demo.casework import DAYS_BACK, demo_case_make
from helpdesk.demo.organisations import (
    MARKER_KVK,
    MARKER_NAME,
    ORGANISATIONS,
    demo_contact_make,
    demo_ladder_record,
    demo_organisation_make,
)
from helpdesk.demo.run import DemoRun
from helpdesk.demo.showcase import (
    SHOWCASE_CASES,
    demo_old_warnings_recorded,
    demo_replies_ready,
    demo_showcase,
)

__all__ = [
    "ACCOUNTS",
    "CASE_COUNT",
    "DAYS_BACK",
    "MARKER_KVK",
    "MARKER_NAME",
    "QUEUED_CALLBACKS",
    "DemoAccount",
    "DemoResult",
    "demo_present",
    "seed_demo",
]

CASE_COUNT = 300


@dataclass(frozen=True)
class DemoResult:
    created: bool
    organisations: int
    cases: int
    accounts: tuple[DemoAccount, ...]


def demo_present() -> bool:
    """Whether the demo data is there: the marker organisation exists."""
    return Organisation.objects.filter(kvk_number=MARKER_KVK).exists()


def seed_demo(
    *, seed: int = 2026, now: dt.datetime | None = None, cases: int = CASE_COUNT
) -> DemoResult:
    """Create the demo helpdesk unless it is there already (then only the accounts are ensured)."""
    with transaction.atomic():
        staff, manager = (demo_account_ensure(spec) for spec in ACCOUNTS)
        if demo_present():
            return DemoResult(False, Organisation.objects.count(), Case.objects.count(), ACCOUNTS)
        now = now or timezone.now()
        run = DemoRun(
            rng=random.Random(seed),
            now=now,
            today=timezone.localdate(now),
            zone=ZoneInfo(settings.TIME_ZONE),
            staff=staff,
            manager=manager,
            categories={c.slug: c for c in Category.objects.all()},
            kvk_used={MARKER_KVK},
        )
        _populate(run, cases)
    return DemoResult(True, Organisation.objects.count(), Case.objects.count(), ACCOUNTS)


def _populate(run: DemoRun, case_count: int) -> None:
    """Organisations with their history and contacts, then the cases, then the morning queue.

    The order is fixed: every draw from the seeded generator follows the one before it.
    """
    people: list[tuple[Organisation | None, Contact, str]] = []
    for name, kind, city, area, domain, ladder in ORGANISATIONS:
        org = demo_organisation_make(run, name, kind, city, area, domain)
        demo_ladder_record(run, org, ladder)
        for _ in range(run.rng.choice((1, 1, 2, 2, 3))):
            contact, number = demo_contact_make(run, org, area, domain)
            people.append((org, contact, number))
    # A few people call without an organisation the helpdesk knows.
    for _ in range(4):
        contact, number = demo_contact_make(run, None, "06", "")
        people.append((None, contact, number))
    demo_replies_ready(run)
    waiting = min(QUEUED_CALLBACKS, case_count)
    showcase = SHOWCASE_CASES if case_count - waiting >= SHOWCASE_CASES else 0
    for _ in range(case_count - waiting - showcase):
        demo_case_make(run, *run.rng.choice(people))
    if showcase:
        demo_showcase(run, people)
    # The morning queue has work waiting: callers from the last hours.
    for _ in range(waiting):
        demo_waiting_caller(run, *run.rng.choice(people))
    demo_old_warnings_recorded(run)
