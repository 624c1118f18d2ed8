"""Background tasks of the mailboxes (django-q)."""

from __future__ import annotations

from mailboxes.polling import mailboxes_poll as poll_all


def mailboxes_poll() -> str:
    """Every minute: poll each active mailbox once (see ``mailboxes.polling``)."""
    return "; ".join(report.describe() for report in poll_all()) or "no active mailboxes"
