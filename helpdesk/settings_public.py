"""Settings of the public pages (ask a question, book a callback), see docs/public-pages.md.

Read from the environment like the rest of ``helpdesk.settings``, which takes these in.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_int, env_list, env_str

# Origins that may show the embeddable variant (/hulp/embed/…) in a frame, e.g.
# "https://www.pso-nederland.nl"; none by default. Every other page keeps DENY.
PUBLIC_FRAME_ANCESTORS = env_list("PUBLIC_FRAME_ANCESTORS", [])
# Inside a frame on another site the CSRF cookie is a third-party cookie: "None" lets the
# embedded forms work (over HTTPS only). Lax, Django's default, otherwise.
CSRF_COOKIE_SAMESITE = env_str("CSRF_COOKIE_SAMESITE", "Lax")
if CSRF_COOKIE_SAMESITE not in {"Lax", "Strict", "None"}:
    raise ImproperlyConfigured("CSRF_COOKIE_SAMESITE must be Lax, Strict or None")
# A person needs a few seconds for a form; a post sooner than this is refused.
PUBLIC_MIN_FILL_SECONDS = env_int("PUBLIC_MIN_FILL_SECONDS", 3)
# Posts per hour from one client address, and for one email address or phone number.
PUBLIC_POSTS_PER_IP_PER_HOUR = env_int("PUBLIC_POSTS_PER_IP_PER_HOUR", 20)
PUBLIC_POSTS_PER_ADDRESS_PER_HOUR = env_int("PUBLIC_POSTS_PER_ADDRESS_PER_HOUR", 5)
PUBLIC_CALLBACKS_PER_NUMBER_PER_WEEK = env_int("PUBLIC_CALLBACKS_PER_NUMBER_PER_WEEK", 3)
# How long the links in the confirmation mails work.
PUBLIC_LINK_DAYS = env_int("PUBLIC_LINK_DAYS", 30)
PUBLIC_MAX_ATTACHMENT_BYTES = env_int("PUBLIC_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
