"""A person's address or number as a keyed digest: searchable in the access log, not readable.

The same identifier always gives the same digest (so the log can be searched by
person); without the site's secret key the digest says nothing about who it was.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

_SALT = "privacy.access-log.person"


def person_digest(kind: str, value: str) -> str:
    """The digest of an identifier as ``privacy.selectors.identifier_from`` gives it."""
    return salted_hmac(_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()
