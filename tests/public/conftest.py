"""Shared set-up of the public pages' tests: no minimum fill time unless a test asks for one
(each test has a cache of its own, so the rate-limit counts start fresh), and posting a form
as a person does (with its signed start time)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(autouse=True)
def _public_defaults(settings):
    settings.PUBLIC_MIN_FILL_SECONDS = 0


@pytest.fixture
def thursday_afternoon(time_machine):
    """Thursday 26 November 2026, 13:00: phone hours are over until Monday 08:30."""
    from tests.timehelpers import local

    time_machine.move_to(local(2026, 11, 26, 13, 0), tick=False)


def started_value(page: str) -> str:
    """The signed start time a drawn form carries."""
    match = re.search(r'name="started" value="([^"]+)"', page)
    assert match, "the form carries no start time"
    return match.group(1)
