"""The calendar configuration moves here from the scheduling app, keeping its tables.

State only: no row is copied, no table renamed (each model keeps ``db_table``).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("scheduling", "0006_field_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (created by the scheduling app's migrations).
            state_operations=[
                migrations.CreateModel(
                    name='HolidayOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('date', models.DateField(verbose_name='holiday')),
                        ('scope', models.CharField(choices=[('both', 'Phone and office hours'), ('phone', 'Phone hours only'), ('office', 'Office hours only')], max_length=10, verbose_name='applies to')),
                        ('choice', models.CharField(choices=[('open', 'Open: the helpdesk works this holiday'), ('closed', 'Closed: the helpdesk observes this holiday')], max_length=10, verbose_name='the helpdesk is')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ],
                    options={
                        'verbose_name': 'holiday override',
                        'verbose_name_plural': 'holiday overrides',
                        'db_table': 'scheduling_holidayoverride',
                        'ordering': ['date', 'scope'],
                    },
                ),
                migrations.CreateModel(
                    name='Closure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('scope', models.CharField(choices=[('both', 'Phone and office hours'), ('phone', 'Phone hours only'), ('office', 'Office hours only')], max_length=10, verbose_name='applies to')),
                        ('first_day', models.DateField(verbose_name='first day')),
                        ('last_day', models.DateField(blank=True, help_text='Leave empty for a single day.', null=True, verbose_name='last day')),
                        ('starts', models.TimeField(blank=True, help_text='Leave empty for the whole day.', null=True, verbose_name='closed from')),
                        ('ends', models.TimeField(blank=True, help_text='Leave empty for the whole day.', null=True, verbose_name='closed until')),
                        ('reason', models.CharField(max_length=200, verbose_name='reason')),
                    ],
                    options={
                        'verbose_name': 'closure',
                        'verbose_name_plural': 'closures',
                        'db_table': 'scheduling_closure',
                        'ordering': ['first_day', 'starts'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('last_day__isnull', True), ('last_day__gte', models.F('first_day')), _connector='OR'), name='closure_days_in_order'), models.CheckConstraint(condition=models.Q(models.Q(('ends__isnull', True), ('starts__isnull', True)), ('ends__gt', models.F('starts')), _connector='OR'), name='closure_times_in_order')],
                    },
                ),
                migrations.CreateModel(
                    name='SpecialHours',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('scope', models.CharField(choices=[('both', 'Phone and office hours'), ('phone', 'Phone hours only'), ('office', 'Office hours only')], max_length=10, verbose_name='applies to')),
                        ('date', models.DateField(verbose_name='date')),
                        ('opens', models.TimeField(verbose_name='opens at')),
                        ('closes', models.TimeField(verbose_name='closes at')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ],
                    options={
                        'verbose_name': 'changed hours',
                        'verbose_name_plural': 'changed hours',
                        'db_table': 'scheduling_specialhours',
                        'ordering': ['date', 'opens'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('closes__gt', models.F('opens'))), name='special_hours_end_after_start')],
                    },
                ),
                migrations.CreateModel(
                    name='WeeklyHours',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('calendar', models.CharField(choices=[('phone', 'Phone hours'), ('office', 'Office hours')], max_length=10, verbose_name='calendar')),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], verbose_name='weekday')),
                        ('opens', models.TimeField(verbose_name='opens at')),
                        ('closes', models.TimeField(verbose_name='closes at')),
                    ],
                    options={
                        'verbose_name': 'weekly opening hours',
                        'verbose_name_plural': 'weekly opening hours',
                        'db_table': 'scheduling_weeklyhours',
                        'ordering': ['calendar', 'weekday', 'opens'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('closes__gt', models.F('opens'))), name='weekly_hours_end_after_start')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
