"""Reading a raw email into what the helpdesk needs, without ever crashing on it.

Real-world mail breaks parsers: RFC 2047 words split in the middle of a
character, charsets Python does not know, bodies in another charset than the
one declared, ``From: <>``, ``To: undisclosed-recipients:;``. Every field here is
read on its own with a fallback, so one bad header costs that header, not the
message. The raw bytes are kept elsewhere; nothing here needs the database.

- ``parsed``: what a message is read into (``ParsedMail``, ``ParsedAttachment``);
- ``text``: charsets and encoded header words;
- ``headers``: Message-IDs, addresses, the date;
- ``parts``: attachments and the text of the body;
- ``automatic``: whether a machine sent the message;
- ``message``: ``parse_message``, which puts these together.
"""

from cases.intake.parsing.automatic import automatic_reason, is_bounce
from cases.intake.parsing.headers import addresses, message_ids, scan_message_id
from cases.intake.parsing.message import PARSING_POLICY, parse_message
from cases.intake.parsing.parsed import ParsedAttachment, ParsedMail
from cases.intake.parsing.text import decode_bytes, decode_header_text, storable

__all__ = [
    "PARSING_POLICY",
    "ParsedAttachment",
    "ParsedMail",
    "addresses",
    "automatic_reason",
    "decode_bytes",
    "decode_header_text",
    "is_bounce",
    "message_ids",
    "parse_message",
    "scan_message_id",
    "storable",
]
