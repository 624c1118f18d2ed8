"""The daily roll-over of the organisations' kept PSO status (a django-q schedule)."""

from django.db import migrations


def schedule(apps, schema_editor):
    from cases.services.pso import pso_now_schedule_ensure

    pso_now_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def unschedule(apps, schema_editor):
    from cases.services.pso import PSO_NOW_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=PSO_NOW_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_trigram_search_indexes"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
