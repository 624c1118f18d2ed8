"""Full-text search: Dutch GIN indexes on PostgreSQL, an FTS5 table with triggers on SQLite."""

from django.db import migrations

from cases.search.schema import install, uninstall


def forward(apps, schema_editor):
    install(schema_editor.connection, backfill=True)


def backward(apps, schema_editor):
    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_case_presence")]

    operations = [migrations.RunPython(forward, backward)]
