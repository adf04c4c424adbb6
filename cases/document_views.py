"""Download the PDF documents of a case: the request form, the decision letter and the move plan.

Each view fetches through the permission-checking selectors (404 for what the user may not see),
renders, records the download in the audit log and answers with an attachment whose file name is the
case reference only.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from audit.models import AuditAction
from audit.services import audit_record
from cases.documents import decision_letter_context, move_plan_context, request_form_context
from cases.selectors import case_get_for_user, request_get_for_user
from lanskompott.pdf import render_pdf


def pdf_attachment(pdf: bytes, *, reference: str, kind: str) -> HttpResponse:
    """Return ``pdf`` as a download named ``<reference>-<kind>.pdf``: no names of people or places."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{reference}-{kind}.pdf")
    return response


@require_safe
@never_cache
@login_required
def request_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the request form frozen in one request."""
    case_request = request_get_for_user(user=request.user, pk=pk, http_request=request)
    pdf = render_pdf(
        template_name="documents/request_form.html",
        context=request_form_context(case_request),
        title=_("Förfrågningsunderlag"),
    )
    audit_record(action=AuditAction.DOWNLOAD, request=request, obj=case_request)
    return pdf_attachment(pdf, reference=case_request.case.reference, kind="underlag")


@require_safe
@never_cache
@login_required
def decision_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the written decision on one request (404 while it is unanswered)."""
    case_request = request_get_for_user(user=request.user, pk=pk, http_request=request)
    decision = getattr(case_request, "decision", None)
    if decision is None:
        raise Http404
    pdf = render_pdf(
        template_name="documents/decision_letter.html",
        context=decision_letter_context(case_request),
        title=_("Beslut om förfrågan"),
    )
    audit_record(action=AuditAction.DOWNLOAD, request=request, obj=decision, case_id=case_request.case_id)
    return pdf_attachment(pdf, reference=case_request.case.reference, kind="beslut")


@require_safe
@never_cache
@login_required
def move_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the move plan of the case's current round."""
    case = case_get_for_user(user=request.user, pk=pk, http_request=request)
    # The move plan names the new home town: only the two municipalities of the move may print it,
    # whatever else a user may see of the case.
    sides = {case.sending_municipality_id, case.receiving_municipality_id} - {None}
    if request.user.municipality_id not in sides:
        raise Http404
    move_plan = case.move_plans.filter(round=case.round).first()
    if move_plan is None:
        raise Http404
    move_plan.case = case
    pdf = render_pdf(
        template_name="documents/move_plan.html",
        context=move_plan_context(move_plan),
        title=_("Flyttplan"),
    )
    audit_record(action=AuditAction.DOWNLOAD, request=request, obj=move_plan)
    return pdf_attachment(pdf, reference=case.reference, kind="flyttplan")
