"""The calendar configuration and the response targets now belong to other apps.

Their tables stay where they are (``calendars`` and ``cases`` adopted them with
``db_table``); this removes them from the scheduling app's state and moves their
content types along, so permissions given to the roles and the admin's history
keep pointing at the same rows.
"""

from django.db import migrations

from staff.roles import sync_role_permissions

MOVED = {
    "weeklyhours": "calendars",
    "holidayoverride": "calendars",
    "closure": "calendars",
    "specialhours": "calendars",
    "slatarget": "cases",
    "urgencykeyword": "cases",
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        old = ContentType.objects.filter(app_label="scheduling", model=model).first()
        if old is None:
            continue  # a fresh database: the new app's content type is made when needed
        # A content type made for the new app in the meantime holds nothing yet.
        ContentType.objects.filter(app_label=app_label, model=model).delete()
        old.app_label = app_label
        old.save(update_fields=["app_label"])
    sync_role_permissions(apps)


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model=model).update(
            app_label="scheduling"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0006_field_labels"),
        ("calendars", "0001_initial"),
        ("cases", "0008_response_targets"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="WeeklyHours"),
                migrations.DeleteModel(name="HolidayOverride"),
                migrations.DeleteModel(name="Closure"),
                migrations.DeleteModel(name="SpecialHours"),
                migrations.DeleteModel(name="SlaTarget"),
                migrations.DeleteModel(name="UrgencyKeyword"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
