"""Reads of the audit log, filtered in the database by who may read what."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import Role
from audit.models import AuditEvent


def may_read_case_log(user) -> bool:
    """Return whether ``user`` reads the audit log of their municipality's cases (unit supervisors)."""
    return user.is_authenticated and user.role == Role.SUPERVISOR and user.municipality_id is not None


def case_log_for_user(*, user, reference: str = "") -> QuerySet[AuditEvent]:
    """Return the audit events of the cases sent or received by ``user``'s municipality, newest first.

    Each event carries ``case_reference``. Empty for a user who may not read the log.
    """
    from cases.models import Case

    if not may_read_case_log(user):
        return AuditEvent.objects.none()
    municipality_id = user.municipality_id
    cases = Case.objects.filter(
        Q(sending_municipality_id=municipality_id) | Q(receiving_municipality_id=municipality_id)
    )
    if reference:
        cases = cases.filter(reference=reference)
    return (
        AuditEvent.objects.filter(case_id__in=Subquery(cases.values("pk")))
        .annotate(case_reference=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("reference")[:1]))
        .select_related("user")
        .order_by("-at", "-pk")
    )
