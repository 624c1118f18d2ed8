"""The helpdesk speaks Dutch first and English on request, from a complete, compiled catalogue."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
PO_FILE = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (header included), enough of the format for these checks."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def start() -> Entry:
        nonlocal current
        if current is None or current.msgid or current.msgstr:
            current = Entry()
            entries.append(current)
        return current

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            start().obsolete = True
            continue
        if line.startswith("#,"):
            if current is not None and (current.msgid or current.msgstr):
                current = None
            start().flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            text = ast.literal_eval(rest.strip())
            if keyword == "msgctxt":
                if current is not None and (current.msgid or current.msgstr):
                    current = None
                target = ("msgctxt", None)
                start().msgctxt = ""
            elif keyword == "msgid":
                if current is not None and (current.msgid or current.msgstr):
                    current = None
                target = ("msgid", None)
                start()
            elif keyword == "msgid_plural":
                target = ("msgid_plural", None)
                current.msgid_plural = ""
            elif keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                target = ("msgstr", index)
                current.msgstr.setdefault(index, "")
            else:
                raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)
    return [entry for entry in entries if not entry.obsolete]


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_FILE.exists(), (
        f"the Dutch catalogue {PO_FILE.relative_to(LOCALE_DIR.parent)} is missing"
    )
    return [entry for entry in read_po(PO_FILE) if entry.msgid]


def test_the_dutch_catalogue_has_messages(entries):
    assert len(entries) > 50
    assert any(entry.msgid == "Sign in" for entry in entries)


def test_every_dutch_message_is_translated(entries):
    untranslated = [
        entry.msgid for entry in entries if not all(entry.msgstr.values()) or not entry.msgstr
    ]

    assert untranslated == []


def test_no_dutch_message_is_fuzzy(entries):
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source(entries):
    """A .po edited without running compilemessages shows up here."""
    assert MO_FILE.exists(), "compile the catalogue: manage.py compilemessages"
    with MO_FILE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]

    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if catalog.get(entry.key) != entry.msgstr.get(0):
                stale.append(entry.msgid)
        else:
            for index, text in entry.msgstr.items():
                if catalog.get((entry.key, index)) != text:
                    stale.append(entry.msgid)
    assert stale == []


@pytest.mark.django_db
def test_the_sign_in_page_is_dutch_by_default():
    page = Client().get(reverse("login")).content.decode()

    assert "Inloggen" in page
    assert 'lang="nl"' in page


@pytest.mark.django_db
def test_the_sign_in_page_is_english_for_an_english_browser():
    page = Client(headers={"accept-language": "en"}).get(reverse("login")).content.decode()

    assert "Sign in" in page
    assert "Inloggen" not in page
    assert 'lang="en"' in page


def test_signed_in_pages_are_dutch_by_default(staff_client):
    page = staff_client.get(reverse("dashboard")).content.decode()

    assert "Uitloggen" in page
    assert "Sign out" not in page


def test_the_language_switch_turns_the_pages_english(staff_client):
    dashboard = reverse("dashboard")

    response = staff_client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    page = staff_client.get(dashboard).content.decode()

    assert response.status_code == 302
    assert "Sign out" in page
    assert "Uitloggen" not in page
