"""Telling a reply's own text from the history it quotes, and quoting a message.

Mail clients put the earlier conversation below the new text in a few known
shapes; from the first of these to the end is the quoted history:

- an attribution line: "On … wrote:" (also wrapped over two lines), "Op …
  schreef …:", Apple Mail's "Op … heeft … het volgende geschreven:";
- Outlook's separator "-----Original Message-----" / "-----Oorspronkelijk
  bericht-----" (and forwarded-message separators);
- an Outlook header block: a "From:"/"Van:" line followed within a few lines by
  "Sent:"/"Verzonden:"/"Date:"/"Datum:" and "To:"/"Aan:"/"Subject:"/"Onderwerp:"
  (often after a line of underscores);
- lines starting with ">" that run to the end of the message (nothing but
  quoted or blank lines after them). Quotes answered in between ("inline
  replies") are the writer's own text and are not folded.

When nothing precedes the history (a bare forward), nothing is folded: the
whole text is the message.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_ATTRIBUTION = re.compile(
    r"""^\s*(?:
        on\s.{4,300}\swrote:
      | op\s.{4,300}\sschreef\s?.{0,200}:
      | op\s.{4,300}\sheeft\s.{1,200}\shet\svolgende\sgeschreven:
      | am\s.{4,300}\sschrieb\s?.{0,200}:
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original\smessage|oorspronkelijk\sbericht|origineel\sbericht"
    r"|forwarded\smessage|doorgestuurd\sbericht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:from|van)\s*:\*?\s+\S", re.IGNORECASE)
_HEADER_DATE = re.compile(r"^\s*\*?(?:sent|verzonden|date|datum)\s*:", re.IGNORECASE)
_HEADER_OTHER = re.compile(r"^\s*\*?(?:to|aan|subject|onderwerp|cc)\s*:", re.IGNORECASE)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_HEADER_WINDOW = 5


def _is_header_block(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = lines[index + 1 : index + 1 + _HEADER_WINDOW]
    return any(_HEADER_DATE.match(line) for line in following) and any(
        _HEADER_OTHER.match(line) for line in following
    )


def _quote_runs_to_end(lines: list[str], index: int) -> bool:
    return all(not line.strip() or line.lstrip().startswith(">") for line in lines[index:])


def _history_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if _ATTRIBUTION.match(line) or _SEPARATOR.match(line) or _is_header_block(lines, index):
            return index
        if index + 1 < len(lines) and _ATTRIBUTION.match(f"{line} {lines[index + 1]}"):
            # "On Tue, 1 Dec 2026 at 10:15, Petra <petra@…>\nwrote:" (wrapped).
            return index
        if line.lstrip().startswith(">") and _quote_runs_to_end(lines, index):
            return index
    return None


def split_quoted(text: str) -> tuple[str, str]:
    """``(own, quoted)``: the writer's own text and the quoted history below it.

    ``quoted`` is empty when the text quotes nothing, or when nothing but
    history is there (then all of it is the message). Lines are kept as they
    were; only the whitespace at the seam is trimmed.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    start = _history_start(lines)
    if start is None:
        return text.strip("\n"), ""
    # A line of underscores or blank lines right above belong to the history.
    while start > 0 and (not lines[start - 1].strip() or _RULE.match(lines[start - 1])):
        start -= 1
    own = "\n".join(lines[:start]).strip("\n")
    if not own.strip():
        return text.strip("\n"), ""
    return own.rstrip(), "\n".join(lines[start:]).strip("\n")


def quote_lines(text: str) -> str:
    """``text`` with "> " before every line."""
    return "\n".join(f"> {line}" for line in text.strip().splitlines())


def reply_quote(sender: str, text: str) -> str:
    """What a reply adds below its own text: "<sender> wrote:" and the text, quoted."""
    if not (text or "").strip():
        return ""
    return "\n\n" + _("%(sender)s wrote:") % {"sender": sender} + "\n" + quote_lines(text)
