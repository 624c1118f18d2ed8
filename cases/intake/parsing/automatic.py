"""Mail sent by a machine: auto-replies, bulk and list mail, delivery reports."""

from __future__ import annotations

from cases.intake.parsing.parsed import ParsedMail
from cases.intake.parsing.text import storable


def is_system_sender(address: str) -> bool:
    """Sent by the mail system itself: MAILER-DAEMON or postmaster, whatever the domain."""
    local = address.partition("@")[0].lower()
    return local in {"mailer-daemon", "postmaster"}


def automatic_reason(mail: ParsedMail) -> str:
    """Why a message was sent by a machine rather than a person, or "" for a person.

    Rule (RFC 3834 and the peers' practice): ``Auto-Submitted`` other than ``no``;
    ``Precedence`` bulk, junk, list or auto_reply; ``X-Autoreply``;
    ``X-Auto-Response-Suppress``; ``List-Id``; an empty ``Return-Path``;
    a ``multipart/report``; or a sender MAILER-DAEMON or postmaster. Such mail
    never gets an acknowledgement and never reopens a case.
    """
    return storable(_automatic_reason(mail))


def _automatic_reason(mail: ParsedMail) -> str:
    auto_submitted = (mail.header("auto-submitted") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"[:100]
    precedence = (mail.header("precedence") or "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name, label in (
        ("x-autoreply", "X-Autoreply"),
        ("x-autorespond", "X-Autorespond"),
        ("x-auto-response-suppress", "X-Auto-Response-Suppress"),
        ("list-id", "List-Id"),
    ):
        if mail.header(name) is not None:
            return label
    return_paths = mail.headers.get("return-path")
    if return_paths is not None and any(v.strip() in {"", "<>"} for v in return_paths):
        return "Return-Path: <>"
    if mail.content_type == "multipart/report":
        return "multipart/report"
    if is_system_sender(mail.from_address):
        return mail.from_address.partition("@")[0].upper()
    return ""


def is_bounce(mail: ParsedMail) -> bool:
    """A delivery failure report: a multipart/report or mail from MAILER-DAEMON/postmaster."""
    return mail.content_type == "multipart/report" or is_system_sender(mail.from_address)
