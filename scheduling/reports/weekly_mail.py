"""The weekly report mail: Monday before opening, the headline figures of last week.

Managers get the same figures the report page shows (computed by the same
``SlaReport``) and a link to the full report of that week.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from calendars.configured import office_hours
from cases.models import Channel
from periodic import cron_schedule_ensure
from scheduling.reports.figures import ReportFilters, SlaReport
from scheduling.reports.period import PeriodKind, last_complete
from staff.notify import staff_mail_send
from staff.roles import addresses, managers

WEEKLY_REPORT_SCHEDULE_NAME = "sla-report-weekly"
WEEKLY_REPORT_TASK = "scheduling.tasks.sla_report_weekly"
#: Mondays at 07:30 Dutch time, an hour before the phone opens.
WEEKLY_REPORT_CRON = "30 7 * * 1"


def report_recipients() -> list[str]:
    """The addresses of the active managers."""
    return addresses(managers())


def sla_report_mail_send(*, now: dt.datetime | None = None) -> int:
    """Mail every manager last week's headline figures; returns the number of mails sent."""
    now = now or timezone.now()
    recipients = report_recipients()
    if not recipients:
        return 0
    tz = ZoneInfo(settings.TIME_ZONE)
    period = last_complete(PeriodKind.WEEK, now.astimezone(tz).date())
    report = SlaReport(
        period=period,
        filters=ReportFilters(),
        now=now,
        tz=tz,
        office_calendar=office_hours(),
    )
    query = urlencode({"period": PeriodKind.WEEK, "date": period.first_day.isoformat()})
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "period": period,
            "overall": report.overall(),
            "urgent": report.urgent_email_summary(),
            "breaches": report.urgent_email_breaches(),
            "by_channel": [
                (Channel(channel).label, count)
                for channel, count in report.enquiries_by_channel().items()
            ],
            "still_open": report.still_open(),
            "report_url": f"{settings.SITE_URL}{reverse('report')}?{query}",
        }
        subject = render_to_string("scheduling/email/report_subject.txt", context).strip()
        text = render_to_string("scheduling/email/report_body.txt", context)
        html = render_to_string("scheduling/email/report_body.html", context)
    return staff_mail_send(to=recipients, subject=subject, text=text, html=html)


def weekly_report_schedule_ensure(*, schedule_model: type | None = None) -> object:
    """Create or update the django-q schedule of the weekly mail (one row, found by name)."""
    return cron_schedule_ensure(
        name=WEEKLY_REPORT_SCHEDULE_NAME,
        func=WEEKLY_REPORT_TASK,
        cron=WEEKLY_REPORT_CRON,
        schedule_model=schedule_model,
    )
