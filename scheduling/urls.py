"""URLs of scheduling: the call desk, callbacks, target warnings and SLA reports."""

from django.urls import path

from scheduling.views import callback_email, callbacks, calls, merge, reports, sla

urlpatterns = [
    path("calls/new/", calls.call_log, name="call_log"),
    path("calls/search/", calls.caller_search, name="caller_search"),
    path("cases/<str:reference>/calls/", calls.case_call_add, name="case_call_add"),
    # Callbacks: booking one for a case, and the morning queue.
    path("callbacks/", callbacks.callback_queue_page, name="callback_queue"),
    path("callbacks/<int:pk>/", callbacks.callback_detail, name="callback_detail"),
    path("callbacks/<int:pk>/claim/", callbacks.callback_claim, name="callback_claim"),
    path("callbacks/<int:pk>/outcome/", callbacks.callback_outcome, name="callback_outcome"),
    path("callbacks/<int:pk>/email/", callback_email.callback_email, name="callback_email"),
    path("cases/<str:reference>/callback/", callbacks.callback_new, name="callback_new"),
    # Merging a case into another (its calls, mail and callbacks move), and undoing it.
    path("cases/<str:reference>/merge/", merge.case_merge_page, name="case_merge"),
    path("cases/<str:reference>/merge/undo/", merge.case_merge_undo, name="case_merge_undo"),
    # The first-answer target: unanswered cases by due time (staff and managers).
    path("sla/at-risk/", sla.sla_at_risk, name="sla_at_risk"),
    # The configured calendars, month by month (managers).
    # SLA reports (managers).
    path("reports/", reports.report, name="report"),
    path("reports/cases.csv", reports.cases_csv, name="report_cases_csv"),
    path("reports/<slug:slug>.csv", reports.table_csv, name="report_table_csv"),
]
