"""The daily roll-over of the organisations' kept PSO status (a django-q schedule)."""

from django.db import migrations


def schedule(apps, schema_editor):
    from scheduling.schedules import pso_now_schedule_ensure

    pso_now_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def unschedule(apps, schema_editor):
    from scheduling.schedules import PSO_NOW_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=PSO_NOW_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_organisation_pso_level_now"),
        ("scheduling", "0007_moved_to_calendars_and_cases"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
