"""Trigram indexes for the searches that match part of a word (PostgreSQL only).

The case list's free text, the organisation list's search and the caller search
match with ``UPPER(column) LIKE UPPER('%text%')`` (Django's ``icontains``) and,
for phone numbers, ``number LIKE '%digits%'``. A B-tree index cannot serve a
pattern that starts with ``%``; a GIN index of the column's trigrams
(``pg_trgm``) can. The expressions are exactly the ones Django writes, so the
planner matches them. SQLite has no such index and keeps scanning, which is
fast enough at its size.
"""

from django.db import migrations

INDEXES = [
    ("case_reference_trgm", "cases_case", "UPPER(reference::text)"),
    ("case_subject_trgm", "cases_case", "UPPER(subject::text)"),
    ("case_description_trgm", "cases_case", "UPPER(description::text)"),
    ("organisation_name_trgm", "cases_organisation", "UPPER(name::text)"),
    ("organisation_city_trgm", "cases_organisation", "UPPER(city::text)"),
    ("contact_name_trgm", "cases_contact", "UPPER(name::text)"),
    ("contact_email_trgm", "cases_contact", "UPPER(email::text)"),
    ("phonenumber_number_trgm", "cases_phonenumber", "(number::text)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_organisation_pso_level_now")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
