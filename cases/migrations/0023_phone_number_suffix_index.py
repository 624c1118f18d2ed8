"""The end of a phone number, indexed (PostgreSQL only).

The caller search reads a fragment without a leading 0 or + as the end of a number
("12345678"), matched as the start of the reversed number: ``REVERSE(number) LIKE
'87654321%'``, which a B-tree with ``text_pattern_ops`` serves. The expression is the
one Django writes for ``Reverse("number")`` (``cases.selectors_phones``). The start of a
number uses the pattern index Django already keeps on ``number`` (``db_index``).
SQLite has no such index and scans its phone numbers, which is fast enough at its size.
"""

from django.db import migrations

NAME = "phonenumber_number_reversed"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_phonenumber "
        "(REVERSE(number::text) text_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_helpdesk_signature")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
