"""What parsing makes of a message: plain data, every field with a safe empty value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ParsedMail:
    """What processing needs from one message; every field has a safe empty value."""

    message_id: str = ""
    from_address: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    sent_at: dt.datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    priority_header: str = ""
    text: str = ""
    html: str = ""
    content_type: str = "text/plain"
    #: Lower-cased header name → raw values, for the automatic-mail rules.
    headers: dict[str, list[str]] = field(default_factory=dict)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    #: Message-IDs of returned messages found inside a delivery report.
    returned_message_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, the direct parent first."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen
