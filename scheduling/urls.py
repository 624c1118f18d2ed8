"""URLs of scheduling: callbacks, calendars, SLA reports."""

from django.urls import path

from scheduling.views import calendar_preview, reports

urlpatterns = [
    # The configured calendars, month by month (managers).
    path("scheduling/calendar/", calendar_preview.calendar_preview, name="calendar_preview"),
    # SLA reports (managers).
    path("reports/", reports.report, name="report"),
    path("reports/cases.csv", reports.cases_csv, name="report_cases_csv"),
    path("reports/<slug:slug>.csv", reports.table_csv, name="report_table_csv"),
]
