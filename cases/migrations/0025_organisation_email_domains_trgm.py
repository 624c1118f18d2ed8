"""A trigram index for finding an organisation by a sender's mail domain (PostgreSQL only).

Mail from a new sender is matched to the organisation whose ``email_domains`` list
holds the sender's domain (``cases.intake.threading.organisation_for_address``):
Django's ``icontains``, ``UPPER(email_domains::text) LIKE UPPER('%domain%')``. No
B-tree can serve a pattern that starts with ``%``; without this index every new
sender scanned all organisations (17 ms at 20,000 organisations). The expression is
exactly the one Django writes, as in ``0013_trigram_search_indexes``. SQLite keeps
scanning.
"""

from django.db import migrations

NAME = "organisation_email_domains_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_organisation "
        "USING gin ((UPPER(email_domains::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_dashboard_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
