from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_default_categories")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="response_time",
            field=models.DurationField(
                blank=True,
                help_text="Working time from opening to the first answer, paused time excluded.",
                null=True,
                verbose_name="first response time (working time)",
            ),
        ),
    ]
