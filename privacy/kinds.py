"""The names of what privacy counts, for pages and reports (kind → label)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cases_anonymised": _("cases anonymised"),
    "originals_removed": _("cases whose mail originals and attachments were removed"),
    "mail_without_case_wiped": _("received mails without a case wiped"),
    "contacts_anonymised": _("contacts anonymised"),
    "access_log_deleted": _("access log entries deleted"),
    "errors": _("errors (left for the next run)"),
    "unfinished": _("stopped for time (continued by the next run)"),
    "contacts": _("contacts"),
    "phone_numbers": _("phone numbers"),
    "cases": _("cases"),
    "inbound_mail": _("received mails"),
    "outbound_mail": _("sent mails"),
    "calls": _("calls"),
    "callbacks": _("callbacks"),
    "notes": _("notes"),
    "attachments": _("attachments"),
    "changes": _("timeline changes"),
}


def labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) pairs in the order given; unknown kinds keep their key."""
    return [(str(LABELS.get(kind, kind)), count) for kind, count in counts.items()]
