"""Record refused access: a signed-in user who gets 404 or 403 for a case, a request, a PDF or a report."""

from collections.abc import Callable

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

# The parts of the app that hold case data. The case selectors answer 404 for what a user may not see.
GUARDED_PREFIXES = ("/arenden/", "/rapporter/", "/dokument/")
DENIED_STATUSES = {403, 404}

# Routes whose ``pk`` names an object of a case, longest first: the refused object and its case are
# recorded, so that the owning municipality's log shows who tried to reach it. Other routes record
# the page only. Only whole numbers from the URL are kept, never typed text.
ROUTE_OBJECTS = (
    ("arenden/forfragan/<int:pk>/", "cases.Request", "case_id"),
    ("arenden/samtycken/<int:pk>/", "cases.UnitConsent", "request__case_id"),
    ("dokument/forfragan/<int:pk>/", "cases.Request", "case_id"),
    ("dokument/arende/<int:pk>/", "cases.Case", "pk"),
    ("arenden/<int:pk>/", "cases.Case", "pk"),
)


class DeniedAccessMiddleware:
    """Write a DENIED audit event when a signed-in user is refused a case, a request, a PDF or a report."""

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
            record_denied(request)
        return response


def record_denied(request: HttpRequest) -> AuditEvent:
    """Record that the request's user was refused the object the URL names (if any)."""
    object_type, object_id, case_id = _refused_object(request)
    return audit_record(
        action=AuditAction.DENIED, request=request, case_id=case_id, object_type=object_type, object_id=object_id
    )


def _refused_object(request: HttpRequest) -> tuple[str, str, int | None]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", "", None
    pk = match.kwargs.get("pk")
    if not isinstance(pk, int):
        return "", "", None
    for route, label, case_path in ROUTE_OBJECTS:
        if match.route.startswith(route):
            model = apps.get_model(label)
            case_id = model.objects.filter(pk=pk).values_list(case_path, flat=True).first()
            return label, str(pk), case_id
    return "", str(pk), None
