"""Who is told: the two sides of a case, contact persons and unit supervisors.

"Sending side" is the users of the sending municipality holding ``cases.work_on_case`` on the case;
"receiving side" is the receiving municipality's contact persons plus its officers they granted the case.
Only active users are ever returned.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from cases.models import Case, CaseUserObjectPermission, Request, RequestStatus

WORK_ON_CASE = "work_on_case"


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def _granted_ids(case: Case, municipality_id: int | None) -> QuerySet:
    return CaseUserObjectPermission.objects.filter(
        content_object=case,
        permission__codename=WORK_ON_CASE,
        permission__content_type__app_label="cases",
        user__municipality_id=municipality_id,
    ).values("user_id")


def contact_persons(municipality_id: int | None) -> QuerySet[User]:
    """Return the contact persons of a municipality."""
    return _active().filter(municipality_id=municipality_id, is_contact_person=True)


def sending_side(case: Case) -> QuerySet[User]:
    """Return the users of the sending municipality who work on ``case``."""
    return _active().filter(pk__in=_granted_ids(case, case.sending_municipality_id))


def receiving_side(case: Case, municipality_id: int | None) -> QuerySet[User]:
    """Return the contact persons of the receiving municipality and its users granted ``case``."""
    if municipality_id is None:
        return _active().none()
    return _active().filter(
        Q(municipality_id=municipality_id, is_contact_person=True) | Q(pk__in=_granted_ids(case, municipality_id))
    )


def both_sides(case: Case, receiving_municipality_id: int | None) -> QuerySet[User]:
    """Return the sending side and the receiving side of ``case``."""
    sending = sending_side(case).values("pk")
    receiving = receiving_side(case, receiving_municipality_id).values("pk")
    return _active().filter(Q(pk__in=sending) | Q(pk__in=receiving))


def unit_supervisors(request: Request) -> QuerySet[User]:
    """Return the supervisors, in the receiving municipality, of the units chosen to consent to ``request``."""
    units = request.consents.values("unit")
    return _active().filter(role=Role.SUPERVISOR, municipality_id=request.recipient_id, unit__in=units)


def receiving_municipality_id(case: Case) -> int | None:
    """Return the receiving municipality of the case's latest agreement (kept after a new round starts)."""
    if case.receiving_municipality_id is not None:
        return case.receiving_municipality_id
    return (
        Request.objects.filter(case=case, status=RequestStatus.ACCEPTED)
        .order_by("-round")
        .values_list("recipient_id", flat=True)
        .first()
    )
