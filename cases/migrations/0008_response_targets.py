"""The response targets and urgency words move here from the scheduling app, keeping their
tables: the first-answer clock lives next to the case.

State only: no row is copied, no table renamed (each model keeps ``db_table``).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_field_labels"),
        ("scheduling", "0006_field_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (created by the scheduling app's migrations).
            state_operations=[
                migrations.CreateModel(
                    name='UrgencyKeyword',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('word', models.CharField(help_text='Matched as a whole word, in any case: “spoed” matches “SPOED: certificaat” but not “spoedcursus”.', max_length=50, unique=True, verbose_name='word')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'urgency word',
                        'verbose_name_plural': 'urgency words',
                        'db_table': 'scheduling_urgencykeyword',
                        'ordering': ['word'],
                    },
                ),
                migrations.CreateModel(
                    name='SlaTarget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('phone', 'Phone'), ('email', 'Email'), ('web', 'Web')], max_length=10, verbose_name='channel')),
                        ('priority', models.CharField(choices=[('normal', 'Normal'), ('urgent', 'Urgent')], max_length=10, verbose_name='priority')),
                        ('working_time', models.DurationField(help_text='Office time allowed for the first answer, e.g. 8:00:00 for one working day of 8 hours. Applies to cases opened after the change.', verbose_name='working time')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                    ],
                    options={
                        'verbose_name': 'response target',
                        'verbose_name_plural': 'response targets',
                        'db_table': 'scheduling_slatarget',
                        'ordering': ['channel', '-priority'],
                        'constraints': [models.UniqueConstraint(fields=('channel', 'priority'), name='sla_target_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
