"""The SLA report pages for managers: the report, its print view and CSV exports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from calendars.configured import office_hours
from scheduling.reports.export import CsvFormat, case_lines, csv_format, table_lines
from scheduling.reports.figures import SlaReport
from scheduling.reports.forms import ReportForm
from scheduling.reports.presentation import report_charts
from scheduling.reports.tables import TABLES
from staff.roles import manager_required


def _report_from(request: HttpRequest) -> tuple[ReportForm, SlaReport | None]:
    today = timezone.localdate()
    form = ReportForm(request.GET or None, today=today)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = ReportForm({"period": "week"}, today=today)
        form.is_valid()
    report = SlaReport(
        period=form.report_period(),
        filters=form.report_filters(),
        now=timezone.now(),
        tz=ZoneInfo(settings.TIME_ZONE),
        office_calendar=office_hours(),
    )
    return form, report


@manager_required
def report(request: HttpRequest) -> HttpResponse:
    """The SLA report of a period (default: the last complete week)."""
    form, sla_report = _report_from(request)
    if sla_report is None:
        messages.error(request, " ".join(form.non_field_errors()) or form.errors.as_text())
        return render(request, "scheduling/reports/report.html", {"form": form}, status=400)
    tables = {slug: build(sla_report) for slug, build in TABLES.items()}
    context = {
        "form": form,
        "report": sla_report,
        "period": sla_report.period,
        "tables": tables,
        "charts": report_charts(tables),
        "query": request.GET.urlencode(),
        "print_view": request.GET.get("print") == "1",
    }
    return render(request, "scheduling/reports/report.html", context)


def _format_of(request: HttpRequest) -> CsvFormat:
    """The user's language decides ``;`` and the decimal comma, unless ``?format=`` says."""
    return csv_format(get_language() or "nl", request.GET.get("format", ""))


@manager_required
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One table of the report as CSV."""
    build = TABLES.get(slug)
    if build is None:
        raise Http404
    form, sla_report = _report_from(request)
    if sla_report is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    period = sla_report.period
    response = StreamingHttpResponse(
        table_lines(build(sla_report), sla_report.tz, _format_of(request)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-{period.first_day}-{period.last_day}.csv"'
    )
    return response


@manager_required
def cases_csv(request: HttpRequest) -> HttpResponse:
    """Every case of the period with its times and SLA outcome, streamed."""
    form, sla_report = _report_from(request)
    if sla_report is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    period = sla_report.period
    response = StreamingHttpResponse(
        case_lines(sla_report, _format_of(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="cases-{period.first_day}-{period.last_day}.csv"'
    )
    return response
