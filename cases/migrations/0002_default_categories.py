from django.db import migrations

# The subjects the PSO helpdesk is asked about; managers edit the list later.
CATEGORIES = [
    ("selfscan", "Zelfscan / mijnpso.nl"),
    ("aspirant", "Aanvraag Aspirant-status"),
    ("trede", "Trede-certificering"),
    ("assessment", "(Her)beoordeling / audit"),
    ("keten", "Ketenstimulering & inkoop"),
    ("sroi", "Social return"),
    ("invoice", "Facturen"),
    ("other", "Overig"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for position, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
