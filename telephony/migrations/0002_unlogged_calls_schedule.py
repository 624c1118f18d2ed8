"""The every-five-minutes schedule that logs answered calls nobody logged."""

from django.db import migrations


def unlogged_schedule(apps, schema_editor):
    from telephony.schedules import unlogged_schedule_ensure

    unlogged_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def remove_unlogged_schedule(apps, schema_editor):
    from telephony.schedules import UNLOGGED_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=UNLOGGED_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("telephony", "0001_calls_from_phone_systems"),
    ]

    operations = [migrations.RunPython(unlogged_schedule, remove_unlogged_schedule)]
