"""Write audit events. Call these in the same transaction as the work they record."""

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from audit.context import current_request
from audit.models import AuditAction, AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    """Return the client address the same way django-axes sees it."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def audit_record(
    *,
    action: AuditAction | str,
    request: HttpRequest | None = None,
    user=None,
    obj: models.Model | None = None,
    case_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that ``user`` (default: the request's user) did ``action`` on ``obj``.

    Without ``obj``, ``object_type`` and ``object_id`` name an object known by its number only
    (e.g. one the user was refused). Without ``request``, the request being served (if any) gives the
    address and the page, so that a change made by a service called from a view is traced to where it came from.
    """
    if request is None:
        request = current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if case_id is None and obj is not None:
        case_id = getattr(obj, "case_id", None)
        if case_id is None and obj._meta.label == "cases.Case":
            case_id = obj.pk
    resolver_match = getattr(request, "resolver_match", None) if request is not None else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        user=user,
        role=getattr(user, "role", "") or "",
        organisation=getattr(user, "organisation_name", "") if user is not None else "",
        action=action,
        object_type=obj._meta.label if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        case_id=case_id,
        address=client_address(request),
        path_name=(resolver_match.view_name if resolver_match else "")[:100],
    )
