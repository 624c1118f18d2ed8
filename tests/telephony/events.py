"""Feeding call events to the helpdesk in-process, for the tests of the pages."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from telephony.events import cti_event_receive
from telephony.payloads import zammad_event
from tests.telephony.bridge import zammad


def ring(system, call_id, **extra):
    """One Zammad event (``event=…`` in ``extra``, newCall by default) through the real path,
    with what it does once committed (the test's transaction never commits)."""
    data = zammad(extra.pop("event", "newCall"), call_id, **extra)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return cti_event_receive(
            system=system, event=zammad_event(data), payload=data, now=timezone.now()
        )
