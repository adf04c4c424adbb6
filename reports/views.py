"""The report pages and their downloads. Thin: figures come from reports.tables/selectors."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.models import AuditAction
from audit.services import audit_record
from reports import charts, exports, periods, selectors, tables
from reports.access import ReportScope, scope_for_user
from reports.forms import PeriodForm
from reports.periods import Period

RECORDS_KEY = "lusam-redovisningar"
FORMATS = ("csv", "xlsx")
# WeasyPrint needs about 30 ms per table row: longer lists of records are left to the XLSX/CSV export,
# so that the summary of a whole year stays a download of seconds. A meeting's period has far fewer.
PDF_MAX_RECORDS = 150


def _period(request: HttpRequest, scope: ReportScope) -> tuple[PeriodForm, Period | None, str]:
    """Return the period form, the chosen period (None when the form is wrong) and its query string."""
    today = timezone.localdate()
    meeting = periods.last_meeting(network_id=scope.network_id, today=today)
    if "period" in request.GET:
        form = PeriodForm(request.GET, meeting=meeting, today=today)
        if not form.is_valid():
            return form, None, ""
        period = form.period_value
        fields = {name: request.GET[name] for name in ("period", "year", "start", "end") if request.GET.get(name)}
        return form, period, urlencode(fields)
    initial, period = periods.default_period(meeting=meeting, today=today)
    form = PeriodForm(initial=initial, meeting=meeting, today=today)
    return form, period, urlencode(initial)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Show the report for the chosen period: quota, requests, lead times and outcomes."""
    scope = scope_for_user(request.user)
    form, period, query = _period(request, scope)
    context = {"form": form, "scope": scope, "period": period, "query": query}
    if period is not None:
        report = tables.build_report(scope=scope, period=period)
        context.update(
            quota_sections=[
                (charts.quota_chart(rows=rows, year=year), table)
                for (year, rows), table in zip(report.quotas.items(), tables.quota_tables(report), strict=True)
            ],
            municipality_table=tables.municipality_table(report),
            lead_time_table=tables.lead_time_table(report),
            deadline_table=tables.deadline_table(report),
            outcome_chart=charts.outcome_chart(months=report.months),
            outcome_table=tables.outcome_table(report),
            summary_table=tables.summary_table(report),
            reason_table=tables.reason_table(report),
        )
    return render(request, "reports/index.html", context)


@require_safe
def records(request: HttpRequest) -> HttpResponse:
    """List the LUSAM records of the cases closed in the period (fixed fields only, no reference)."""
    scope = scope_for_user(request.user)
    form, period, query = _period(request, scope)
    table = None
    if period is not None:
        table = tables.records_table(selectors.lusam_records(scope=scope, period=period))
    return render(
        request,
        "reports/records.html",
        {"form": form, "scope": scope, "period": period, "query": query, "table": table, "records_key": RECORDS_KEY},
    )


def _table_for(*, key: str, scope: ReportScope, period: Period, publication: bool) -> tables.Table:
    if key == RECORDS_KEY:
        if publication:
            # A record describes one case: it is never published, only its aggregates are.
            raise Http404
        return tables.records_table(selectors.lusam_records(scope=scope, period=period))
    report = tables.build_report(scope=scope, period=period)
    for table in tables.report_tables(report, publication=publication):
        if table.key == key:
            return table
    raise Http404


@require_safe
def export_table(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """Download one table as CSV or XLSX; ``?publicering=1`` suppresses small numbers."""
    if fmt not in FORMATS:
        raise Http404
    scope = scope_for_user(request.user)
    form, period, _query = _period(request, scope)
    if period is None:
        return render(request, "reports/index.html", {"form": form, "scope": scope}, status=400)
    publication = request.GET.get("publicering") == "1"
    table = _table_for(key=key, scope=scope, period=period, publication=publication)
    audit_record(action=AuditAction.EXPORT, request=request)
    filename = exports.export_filename(key=key, period_slug=period.slug, publication=publication)
    if fmt == "csv":
        return exports.table_csv(table, filename=filename)
    return exports.table_xlsx(table, filename=filename)


@require_safe
def export_pdf(request: HttpRequest) -> HttpResponse:
    """Download the meeting summary as PDF; ``?publicering=1`` gives the version for publication."""
    scope = scope_for_user(request.user)
    form, period, _query = _period(request, scope)
    if period is None:
        return render(request, "reports/index.html", {"form": form, "scope": scope}, status=400)
    publication = request.GET.get("publicering") == "1"
    report = tables.build_report(scope=scope, period=period)
    context = {
        "period": period,
        "scope": scope,
        "publication": publication,
        "generated_on": timezone.localdate(),
        "tables": tables.report_tables(report, publication=publication),
    }
    if not publication:
        # Charts show exact small numbers and a record describes one case: neither is published.
        context["quota_charts"] = [charts.quota_chart(rows=rows, year=year) for year, rows in report.quotas.items()]
        context["outcome_chart"] = charts.outcome_chart(months=report.months)
        records = selectors.lusam_records(scope=scope, period=period)
        if len(records) <= PDF_MAX_RECORDS:
            context["records_table"] = tables.records_table(records)
        else:
            context["records_omitted"] = len(records)
    pdf = exports.summary_pdf(context=context)
    audit_record(action=AuditAction.EXPORT, request=request)
    filename = exports.export_filename(key="sammanfattning", period_slug=period.slug, publication=publication)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
