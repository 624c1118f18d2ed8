"""URLs of scheduling: callbacks, calendars, SLA reports."""

from django.urls import path

from scheduling.views import reports

urlpatterns = [
    # SLA reports (managers).
    path("reports/", reports.report, name="report"),
    path("reports/cases.csv", reports.cases_csv, name="report_cases_csv"),
    path("reports/<slug:slug>.csv", reports.table_csv, name="report_table_csv"),
]
