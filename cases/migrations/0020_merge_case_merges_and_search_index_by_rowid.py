from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_case_merges_and_saved_filters"),
        ("cases", "0019_search_index_by_rowid"),
    ]

    operations = []
