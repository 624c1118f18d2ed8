from django.db import migrations


def retention_schedule(apps, schema_editor):
    from privacy.retention import retention_schedule_ensure

    retention_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def remove_retention_schedule(apps, schema_editor):
    from privacy.retention import RETENTION_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=RETENTION_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_retention_holds_records_access_log"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(retention_schedule, remove_retention_schedule)]
