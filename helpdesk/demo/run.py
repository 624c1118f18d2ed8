"""One seeding run: what every part of the demo data draws on."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractBaseUser

from cases.models import Category


@dataclass
class DemoRun:
    """The seeded random generator, the moment the demo is made for, and the demo accounts.

    Every choice is drawn from ``rng`` in a fixed order, so the same seed and day give the same
    data. ``zone`` is the helpdesk's (``settings.TIME_ZONE``): demo times are local times there.
    """

    rng: random.Random
    now: dt.datetime
    today: dt.date
    zone: ZoneInfo
    staff: AbstractBaseUser
    manager: AbstractBaseUser
    categories: dict[str, Category]
    #: KvK numbers handed out so far (the marker organisation's is reserved).
    kvk_used: set[str] = field(default_factory=set)
