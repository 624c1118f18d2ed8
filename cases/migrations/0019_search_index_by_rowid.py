"""SQLite's full-text index keyed by rowid (source id × 4 + kind) and re-indexed only when
an indexed text changes: built again from the rows, since the rows of the first layout
cannot be found by rowid. PostgreSQL's indexes are untouched."""

from django.db import migrations

from cases.search.schema import install, uninstall


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        uninstall(schema_editor.connection)
        install(schema_editor.connection, backfill=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_merge_telephony_and_workspace")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
