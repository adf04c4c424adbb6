"""The audit log page of unit supervisors."""

import re

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.models import AuditAction
from audit.selectors import case_log_for_user, may_read_case_log
from audit.services import audit_record

PAGE_SIZE = 50
_REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


@require_safe
def case_log(request: HttpRequest) -> HttpResponse:
    """List who read or changed the cases of the supervisor's municipality, newest first."""
    if not may_read_case_log(request.user):
        raise PermissionDenied
    reference = request.GET.get("arende", "").strip().upper()
    if not _REFERENCE.match(reference):
        reference = ""
    events = case_log_for_user(user=request.user, reference=reference)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    audit_record(action=AuditAction.READ, request=request)
    return render(request, "audit/case_log.html", {"page": page, "reference": reference})
