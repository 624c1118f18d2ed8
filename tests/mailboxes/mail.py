"""Messages for the mailbox tests, built like real mail."""

from __future__ import annotations

import datetime as dt
import email.policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def message(
    n: int = 1,
    *,
    sender: str = "els.bakker@gemeente-almelo.nl",
    subject: str | None = None,
    body: str = "Hoe vraag ik de Aspirant-status aan?",
    attachment: bytes | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"Els Bakker <{sender}>"
    mail["To"] = "info@pso-nederland.nl"
    mail["Subject"] = subject or f"Vraag {n} over de PSO-status"
    mail["Date"] = format_datetime(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))
    mail["Message-ID"] = make_msgid(domain="gemeente-almelo.nl")
    mail.set_content(f"{body}\n\nBericht {n}.\n")
    if attachment is not None:
        mail.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="zelfscan.pdf"
        )
    # CRLF line ends, as mail travels (and as IMAP servers hand it out).
    return mail.as_bytes(policy=email.policy.SMTP)
