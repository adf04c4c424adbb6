"""Record refused access: a signed-in user who gets 404 or 403 for a case or a report."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction
from audit.services import audit_record

# The parts of the app that hold case data. The case selectors answer 404 for what a user may not see.
GUARDED_PREFIXES = ("/arenden/", "/rapporter/")
DENIED_STATUSES = {403, 404}
# URL arguments that name a case; only whole numbers are kept, never typed text.
_CASE_ARGUMENTS = ("case_pk", "case_id", "pk")


class DeniedAccessMiddleware:
    """Write a DENIED audit event when a signed-in user is refused a case or a report.

    The event names the page and, when the address holds a case number, the case, so that the
    owning municipality's log shows who tried to reach its case.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in DENIED_STATUSES
            and request.path_info.startswith(GUARDED_PREFIXES)
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            audit_record(action=AuditAction.DENIED, request=request, case_id=_case_id(request))
        return response


def _case_id(request: HttpRequest) -> int | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    for name in _CASE_ARGUMENTS:
        value = match.kwargs.get(name)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
            return int(value)
    return None
