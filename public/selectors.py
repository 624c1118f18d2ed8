"""Reads of the public pages: their settings, and a web case's callback."""

from __future__ import annotations

from public.models import SETTINGS_PK, PublicPages


def public_pages() -> PublicPages:
    """The managers' settings of the public pages; the defaults while nobody has saved any."""
    return PublicPages.objects.filter(pk=SETTINGS_PK).first() or PublicPages(pk=SETTINGS_PK)
