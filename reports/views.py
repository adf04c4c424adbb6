"""The report pages and their downloads. Thin: figures come from reports.tables/selectors."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record
from municipalities.models import LusamMeeting
from reports import charts, exports, periods, selectors, tables
from reports import meetings as meeting_rules
from reports.access import ReportScope, scope_for_user
from reports.forms import MeetingForm, PeriodForm
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


def _export_prefix() -> str:
    """Return the path that ``<key>.csv`` and ``<key>.xlsx`` complete into a table's download (_exports.html).

    Reversed once per page instead of four times per table (a one-year report page links 28 downloads).
    """
    return reverse("reports:export", kwargs={"key": "x", "fmt": "csv"}).removesuffix("x.csv")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Show the report for the chosen period: quota, requests, lead times and outcomes."""
    scope = scope_for_user(request.user)
    form, period, query = _period(request, scope)
    context = {"form": form, "scope": scope, "period": period, "query": query}
    if period is not None:
        report = tables.build_report(scope=scope, period=period)
        context.update(
            export_prefix=_export_prefix(),
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
        {
            "form": form,
            "scope": scope,
            "period": period,
            "query": query,
            "table": table,
            "records_key": RECORDS_KEY,
            "export_prefix": _export_prefix(),
        },
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


@require_http_methods(["GET", "HEAD", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """County staff keep the network's LUSAM meetings and record which closed cases were presented at each."""
    user = request.user
    if user.role != Role.COUNTY or not user.network_id:
        raise PermissionDenied
    form = MeetingForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                if form.is_valid():
                    meeting = meeting_rules.lusam_meeting_add(actor=user, on=form.cleaned_data["date"])
                    messages.success(
                        request, _("LUSAM-mötet %(date)s är tillagt.") % {"date": meeting.date.isoformat()}
                    )
                    return redirect("reports:meetings")
            elif action in ("remove", "present"):
                meeting = LusamMeeting.objects.filter(network_id=user.network_id, pk=_int(request.POST.get("meeting")))
                meeting = meeting.first()
                if meeting is None:
                    messages.error(request, _("Mötet finns inte längre."))
                elif action == "remove":
                    meeting_rules.lusam_meeting_remove(actor=user, meeting=meeting)
                    messages.success(
                        request, _("LUSAM-mötet %(date)s är borttaget.") % {"date": meeting.date.isoformat()}
                    )
                else:
                    count = meeting_rules.lusam_records_mark_presented(actor=user, meeting=meeting)
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d avslutat ärende är markerat som redovisat på mötet %(date)s.",
                            "%(count)d avslutade ärenden är markerade som redovisade på mötet %(date)s.",
                            count,
                        )
                        % {"count": count, "date": meeting.date.isoformat()},
                    )
                return redirect("reports:meetings")
            else:
                messages.error(request, _("Okänd åtgärd."))
                return redirect("reports:meetings")
        except meeting_rules.MeetingError as error:
            if action == "add":
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.error(request, error.message)
                return redirect("reports:meetings")
    today = timezone.localdate()
    rows = list(
        LusamMeeting.objects.filter(network_id=user.network_id).annotate(presented=Count("records")).order_by("-date")
    )
    last = next((row for row in rows if row.date <= today), None)
    waiting = meeting_rules.unpresented_records(user.network_id, today).count()
    context = {"form": form, "meetings": rows, "today": today, "last": last, "waiting": waiting}
    return render(request, "reports/meetings.html", context, status=400 if form.errors else 200)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
