"""The mailboxes the helpdesk reads, the every-minute poll schedule, and the roles' permissions."""

from django.db import migrations, models


def poll_schedule(apps, schema_editor):
    from mailboxes.schedules import poll_schedule_ensure

    poll_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def remove_poll_schedule(apps, schema_editor):
    from mailboxes.schedules import POLL_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=POLL_SCHEDULE_NAME).delete()


def role_permissions(apps, schema_editor):
    from staff.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ("cases", "0011_kvk_ascii_digits"),
        ("scheduling", "0007_moved_to_calendars_and_cases"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name='Mailbox',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.SlugField(help_text='Short name for commands and logs, e.g. info.', max_length=40, unique=True, verbose_name='name')),
                ('address', models.EmailField(max_length=320, verbose_name='address')),
                ('kind', models.CharField(choices=[('imap', 'IMAP'), ('graph', 'Microsoft 365 (Microsoft Graph)')], default='imap', max_length=8, verbose_name='kind')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
                ('host', models.CharField(blank=True, max_length=255, verbose_name='IMAP server')),
                ('port', models.PositiveIntegerField(blank=True, help_text='Empty: 993 with TLS, 143 otherwise.', null=True, verbose_name='port')),
                ('security', models.CharField(choices=[('tls', 'TLS from the start (IMAPS, port 993)'), ('starttls', 'STARTTLS (port 143)'), ('none', 'none: only for a server on this machine')], default='tls', max_length=8, verbose_name='encryption')),
                ('auth', models.CharField(choices=[('password', 'password (IMAP LOGIN)'), ('microsoft', 'Microsoft 365 app (OAuth2 client credentials)')], default='password', max_length=10, verbose_name='sign-in')),
                ('username', models.CharField(blank=True, help_text='Empty: the address.', max_length=320, verbose_name='user name')),
                ('tenant_id', models.CharField(blank=True, max_length=100, verbose_name='Microsoft tenant (directory) id')),
                ('client_id', models.CharField(blank=True, max_length=100, verbose_name='Microsoft app (client) id')),
                ('secret_env', models.CharField(blank=True, help_text='Name of the variable that holds the password or client secret.', max_length=110, verbose_name='secret in environment variable')),
                ('secret_file', models.CharField(blank=True, help_text='File name in the secrets folder that holds the password or client secret.', max_length=200, verbose_name='secret in file')),
                ('folder', models.CharField(default='INBOX', max_length=200, verbose_name='folder to read')),
                ('after_fetch', models.CharField(choices=[('move', 'move to the folder for processed mail'), ('seen', 'leave in the folder, marked as read')], default='move', max_length=8, verbose_name='after taking in')),
                ('processed_folder', models.CharField(blank=True, default='Processed', max_length=200, verbose_name='folder for processed mail')),
                ('polling_since', models.DateTimeField(blank=True, null=True, verbose_name='poll running since')),
                ('last_poll_at', models.DateTimeField(blank=True, null=True, verbose_name='last poll')),
                ('last_success_at', models.DateTimeField(blank=True, null=True, verbose_name='last successful poll')),
                ('taken_in', models.PositiveIntegerField(default=0, verbose_name='messages taken in')),
                ('problem', models.CharField(blank=True, choices=[('', 'No problem'), ('secret_missing', 'the password or secret is not set on the server'), ('connect', 'server cannot be reached'), ('timeout', 'server does not answer (timed out)'), ('certificate', "the server's certificate does not verify"), ('auth', 'password refused'), ('token', "Microsoft refused the app's sign-in (token)"), ('folder', 'folder does not exist'), ('processed_folder', 'folder for processed mail does not exist'), ('dropped', 'the connection was broken off'), ('throttled', 'too many requests: the server asks to wait'), ('protocol', 'unexpected answer from the server'), ('store', 'a message could not be stored')], default='', max_length=20, verbose_name='last error')),
                ('problem_detail', models.TextField(blank=True, verbose_name="server's words")),
                ('problem_at', models.DateTimeField(blank=True, null=True, verbose_name='error since')),
                ('uidvalidity', models.BigIntegerField(blank=True, null=True, verbose_name='UIDVALIDITY')),
                ('last_uid', models.BigIntegerField(blank=True, null=True, verbose_name='last UID taken in')),
                ('delta_link', models.TextField(blank=True, verbose_name='Graph delta link')),
            ],
            options={
                'verbose_name': 'mailbox',
                'verbose_name_plural': 'mailboxes',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('secret_env', ''), ('secret_file', ''), _connector='OR'), name='mailbox_one_secret_source')],
            },
        ),
        migrations.RunPython(poll_schedule, remove_poll_schedule),
        migrations.RunPython(role_permissions, migrations.RunPython.noop),
    ]
