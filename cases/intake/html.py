"""Showing a received HTML body safely.

The stored HTML is never shown as is: nh3 keeps only harmless tags and
attributes (no scripts, event handlers, styles, frames or forms; links only to
http, https and mailto). Remote images are a tracking beacon, so they are left
out unless a staff member asks to load them for that one message; inline (cid:)
images are attachments and are listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3

_TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}


@dataclass(frozen=True)
class SafeHtml:
    html: str
    blocked_images: int


def safe_html(html: str, *, load_remote_images: bool = False) -> SafeHtml:
    """``html`` sanitised for display; remote images left out unless asked for."""
    blocked = 0

    def keep(tag: str, attribute: str, value: str) -> str | None:
        nonlocal blocked
        if tag == "img" and attribute == "src":
            lowered = value.strip().lower()
            if lowered.startswith(("http://", "https://", "//")):
                if load_remote_images:
                    return value
                blocked += 1
                return None
            return None  # cid:, data: and the rest: never fetched from the page
        return value

    cleaned = nh3.clean(
        html or "",
        tags=_TAGS,
        clean_content_tags={"script", "style", "title", "head"},
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=keep,
        strip_comments=True,
    )
    return SafeHtml(html=cleaned, blocked_images=blocked)
