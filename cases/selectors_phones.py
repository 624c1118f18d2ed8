"""Which stored phone numbers a search text names: the whole number, or a fragment.

A fragment is what someone reads out or copies from a display: the end of a number
("12345678", the last digits shown by a phone) or its start in any notation ("06 12",
"+31 6 12"). Both are matched through B-tree indexes on PostgreSQL: the start on the
number's pattern index, the end as the start of the reversed number
(``cases/0023_phone_number_suffix_index``), so a fragment never reads every number
(``LIKE '%…%'`` with a trigram index matched ten thousand numbers for five digits).
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Reverse

from cases.models import PhoneNumber
from cases.phones import fragment_start


def phone_numbers_named(text: str, number: str | None) -> QuerySet[PhoneNumber]:
    """The phone numbers ``text`` names: equal to ``number`` (its E.164 form, if it is a
    whole number), starting as a fragment typed from the front, or ending in its digits."""
    digits = re.sub(r"\D", "", text)
    match = Q(number=number) if number else Q(pk__in=[])
    start = fragment_start(text)
    if start and len(start) > len("+31"):
        match |= Q(number__startswith=start)
    if connection.vendor == "postgresql":
        return PhoneNumber.objects.annotate(reversed_number=Reverse("number")).filter(
            match | Q(reversed_number__startswith=digits[::-1])
        )
    return PhoneNumber.objects.filter(match | Q(number__endswith=digits))
