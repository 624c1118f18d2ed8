"""Mail that gets stuck is taken up again; a reused Message-ID is not a duplicate.

Adds the claim time and next attempt of received mail, the hand-over state of sent
mail, the digest of a message's content (without trace headers, filled in for the
mail already kept) and the every-minute schedule of the recovery job.
"""

from django.conf import settings
from django.db import migrations, models


def fill_content_digests(apps, schema_editor):
    from cases.intake.storage import content_digest

    InboundMessage = apps.get_model("cases", "InboundMessage")
    pks = list(InboundMessage.objects.values_list("pk", flat=True))
    for start in range(0, len(pks), 200):
        for message in InboundMessage.objects.filter(pk__in=pks[start : start + 200]).only(
            "pk", "raw"
        ):
            InboundMessage.objects.filter(pk=message.pk).update(
                content_sha256=content_digest(bytes(message.raw))
            )


def recovery_schedule(apps, schema_editor):
    from cases.intake.recovery import recovery_schedule_ensure

    recovery_schedule_ensure(schedule_model=apps.get_model("django_q", "Schedule"))


def remove_recovery_schedule(apps, schema_editor):
    from cases.intake.recovery import RECOVERY_SCHEDULE_NAME

    apps.get_model("django_q", "Schedule").objects.filter(name=RECOVERY_SCHEDULE_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        ('cases', '0008_response_targets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='inboundmessage',
            name='inbound_unique_message_id',
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='content_sha256',
            field=models.CharField(blank=True, default='', max_length=64, verbose_name='SHA-256 of the content'),
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='message_id_reused',
            field=models.BooleanField(default=False, verbose_name='Message-ID used before'),
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='next attempt at'),
        ),
        migrations.AddField(
            model_name='inboundmessage',
            name='processing_started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='processing started at'),
        ),
        migrations.AddField(
            model_name='outboundmessage',
            name='delivery_attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='delivery attempts'),
        ),
        migrations.AddField(
            model_name='outboundmessage',
            name='sending_since',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sending since'),
        ),
        migrations.AlterField(
            model_name='outboundmessage',
            name='status',
            field=models.CharField(choices=[('queued', 'Waiting to be sent'), ('sending', 'Being handed to the mail server'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('failed', 'Sending failed'), ('bounced', 'Bounced')], default='queued', max_length=10, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='inboundmessage',
            index=models.Index(fields=['status', 'next_attempt_at'], name='cases_inbou_status_5f2689_idx'),
        ),
        migrations.AddIndex(
            model_name='outboundmessage',
            index=models.Index(fields=['status', 'created_at'], name='cases_outbo_status_19231d_idx'),
        ),
        migrations.RunPython(fill_content_digests, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='inboundmessage',
            constraint=models.UniqueConstraint(condition=models.Q(('message_id', ''), _negated=True), fields=('message_id', 'content_sha256'), name='inbound_unique_message_id_and_content'),
        ),
        migrations.RunPython(recovery_schedule, remove_recovery_schedule),
    ]
