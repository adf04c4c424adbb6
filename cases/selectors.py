"""Reads of cases, requests and consents that check permission in the database.

Views never call ``Case.objects.get``: they call these, which answer 404 for anything the user may
not see and write every read of a case or request to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record
from cases.access import PERMISSION, RECEIVING, SENDING, case_role, working_side
from cases.events import EventKind
from cases.models import (
    OPEN_REQUEST_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    CaseUserObjectPermission,
    Collaboration,
    LusamRecord,
    Preparation,
    Request,
    RequestStatus,
    UnitConsent,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from municipalities.models import Municipality

# ``case_role`` lives in cases.access; pages may import it from here with the other reads.
__all__ = [
    "case_access_holders",
    "case_collaboration_for_user",
    "case_events_for_user",
    "case_get_for_user",
    "case_list_for_user",
    "case_lusam_record_for_user",
    "case_preparation_for_user",
    "case_requests_for_user",
    "case_role",
    "colleagues_for_user",
    "consent_get_for_user",
    "consents_for_user",
    "inbox_for_user",
    "recipient_options_for_case",
    "request_get_for_user",
    "supervised_units",
    "visible_cases",
    "visible_requests",
]

MSG_NOT_FOUND = _("Ärendet finns inte eller så har du inte behörighet att se det.")


def _is_municipal(user: User, *roles: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.municipality_id is not None
        and user.role in roles
    )


def visible_cases(user: User) -> QuerySet[Case]:
    """Return the cases ``user`` may open (no audit row; use for lists and existence checks).

    An officer sees a case of their municipality when they hold ``work_on_case``; an officer of the
    receiving municipality after acceptance when they hold it or are its contact person. A grant held
    by someone whose municipality is no longer a side of the case gives nothing.
    """
    if not _is_municipal(user, Role.OFFICER):
        return Case.objects.none()
    granted = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user_id=user.pk, permission__codename=PERMISSION
    )
    own_side = Q(sending_municipality_id=user.municipality_id) | Q(receiving_municipality_id=user.municipality_id)
    condition = own_side & Exists(granted)
    if user.is_contact_person:
        condition |= Q(receiving_municipality_id=user.municipality_id)
    return Case.objects.filter(condition)


def case_get_for_user(*, user: User, pk: int, http_request: HttpRequest | None = None) -> Case:
    """Return the case ``pk`` if ``user`` may see it, else raise Http404; write an audit READ row."""
    case = (
        visible_cases(user)
        .select_related("sending_municipality", "receiving_municipality", "created_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(MSG_NOT_FOUND)
    audit_record(action=AuditAction.READ, request=http_request, user=user, obj=case)
    return case


def visible_requests(user: User) -> QuerySet[Request]:
    """Return the requests ``user`` may open (no audit row).

    Officers of the recipient municipality see requests addressed to it; supervisors those they are asked
    to consent to; the sending side those of cases it works on.
    """
    if _is_municipal(user, Role.SUPERVISOR):
        asked = UnitConsent.objects.filter(request=OuterRef("pk"), unit=user.unit)
        return Request.objects.filter(Q(recipient_id=user.municipality_id) & Exists(asked))
    if not _is_municipal(user, Role.OFFICER):
        return Request.objects.none()
    sending = Q(sender_id=user.municipality_id, case__in=visible_cases(user).values("pk"))
    return Request.objects.filter(Q(recipient_id=user.municipality_id) | sending)


def request_get_for_user(*, user: User, pk: int, http_request: HttpRequest | None = None) -> Request:
    """Return the request ``pk`` if ``user`` may see it, else raise Http404; write an audit READ row.

    The receiving municipality's officers see requests addressed to it; its supervisors those they must
    consent to; the sending side those of cases it works on. Show the receiving side ``request.form``
    (the frozen form), never the case's preparation.
    """
    request = visible_requests(user).select_related("case", "sender", "recipient", "decision").filter(pk=pk).first()
    if request is None:
        raise Http404(MSG_NOT_FOUND)
    audit_record(action=AuditAction.READ, request=http_request, user=user, obj=request)
    return request


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    """Return the cases ``user`` works on, newest first, annotated with ``open_request_count``."""
    return (
        visible_cases(user)
        .select_related("sending_municipality", "receiving_municipality")
        .annotate(open_request_count=Count("requests", filter=Q(requests__status__in=OPEN_REQUEST_STATUSES)))
        .order_by("-created_at")
    )


class _DaysUntil(Func):
    """``date - date`` in PostgreSQL is a whole number of days."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def inbox_for_user(*, user: User) -> QuerySet[Request]:
    """Return the requests addressed to the user's municipality, open ones first by deadline.

    Each row is annotated with ``days_left`` (days until ``reply_by``; negative when overdue; only
    meaningful while ``request.is_open``). Supervisors get the requests they are asked to consent to.
    """
    if _is_municipal(user, Role.SUPERVISOR):
        qs = visible_requests(user)
    elif _is_municipal(user, Role.OFFICER):
        qs = Request.objects.filter(recipient_id=user.municipality_id)
    else:
        return Request.objects.none()
    today = timezone.localdate()
    return (
        qs.select_related("case", "sender", "recipient")
        .annotate(
            days_left=_DaysUntil(F("reply_by"), Value(today)),
            open_first=ExpressionWrapper(Q(status__in=OPEN_REQUEST_STATUSES), output_field=BooleanField()),
        )
        .order_by("-open_first", "reply_by", "pk")
    )


def consents_for_user(*, user: User) -> QuerySet[UnitConsent]:
    """Return the open consents the supervisor must give for their unit and municipality."""
    if not _is_municipal(user, Role.SUPERVISOR):
        return UnitConsent.objects.none()
    return (
        UnitConsent.objects.filter(
            request__recipient_id=user.municipality_id,
            unit=user.unit,
            consented_at__isnull=True,
            request__status=RequestStatus.CONSENTING,
        )
        .select_related("request", "request__case", "request__sender", "request__recipient")
        .order_by("request__reply_by", "pk")
    )


def consent_get_for_user(*, user: User, pk: int, http_request: HttpRequest | None = None) -> UnitConsent:
    """Return one consent of the supervisor's unit and municipality (open or given), else raise Http404."""
    if not _is_municipal(user, Role.SUPERVISOR):
        raise Http404(MSG_NOT_FOUND)
    consent = (
        UnitConsent.objects.filter(pk=pk, request__recipient_id=user.municipality_id, unit=user.unit)
        .select_related("request", "request__case", "request__sender", "request__recipient")
        .first()
    )
    if consent is None:
        raise Http404(MSG_NOT_FOUND)
    audit_record(action=AuditAction.READ, request=http_request, user=user, obj=consent.request)
    return consent


def case_preparation_for_user(*, case: Case, user: User) -> Preparation | None:
    """Return the preparation (with working notes) for the sending side; ``None`` for anyone else."""
    if working_side(case, user) != SENDING:
        return None
    return Preparation.objects.filter(case=case).first()


def case_requests_for_user(*, case: Case, user: User) -> QuerySet[Request]:
    """Return the requests of ``case`` ``user`` may see: all for the sending side, their own otherwise."""
    qs = Request.objects.filter(case=case).select_related("recipient", "sender", "decision")
    side = working_side(case, user)
    if side == SENDING:
        return qs.order_by("-sent_at", "pk")
    if side == RECEIVING:
        return qs.filter(recipient_id=user.municipality_id).order_by("-sent_at", "pk")
    return qs.none()


# What the receiving side may see of the timeline: the shared steps, and only its own requests.
SHARED_EVENT_KINDS = frozenset(
    {
        EventKind.REQUEST_SENT,
        EventKind.REQUEST_WITHDRAWN,
        EventKind.ACCEPTANCE_STARTED,
        EventKind.CONSENT_GIVEN,
        EventKind.REQUEST_ACCEPTED,
        EventKind.REQUEST_DECLINED,
        EventKind.MEETING_RECORDED,
        EventKind.COLLABORATION_UPDATED,
        EventKind.MOVE_PLAN_UPDATED,
        EventKind.TAX_AGENCY_DECISION,
        EventKind.MOVE_CONFIRMED,
        EventKind.ECONOMIC_AGREEMENT,
        EventKind.REVEALED,
        EventKind.CASE_CLOSED,
    }
)


def case_events_for_user(*, case: Case, user: User) -> QuerySet[CaseEvent]:
    """Return the timeline events of ``case`` that ``user``'s side may see, oldest first.

    The sending side sees everything. The receiving side sees the shared steps of the current round
    and the events of the requests addressed to it; never the preparation, the form draft or the
    requests to other municipalities.
    """
    qs = CaseEvent.objects.filter(case=case).select_related("actor", "actor_municipality").order_by("at", "pk")
    side = working_side(case, user)
    if side == SENDING:
        return qs
    if side == RECEIVING:
        own_request = Q(request__isnull=True) | Q(request__recipient_id=user.municipality_id)
        return qs.filter(own_request, kind__in=SHARED_EVENT_KINDS)
    return qs.none()


@dataclass
class RecipientOption:
    """One municipality on the "choose recipients" page."""

    municipality: Municipality
    quota: int
    received: int
    refusal: str | None
    earlier: list[Request] = field(default_factory=list)

    @property
    def quota_left(self) -> int:
        return max(self.quota - self.received, 0)


def recipient_options_for_case(*, case: Case, user: User) -> list[RecipientOption]:
    """Return every other municipality of the network, ranked by quota left this year (rules 3 and 8).

    Each option says why it cannot be chosen (``refusal``) and lists the earlier requests of this case to it.
    """
    from cases.quota import QuotaUse, quota_use
    from cases.workflow import _refusal
    from municipalities.models import Municipality

    if working_side(case, user) != SENDING:
        return []
    year = timezone.localdate().year
    municipalities = list(
        Municipality.objects.filter(network_id=case.sending_municipality.network_id).exclude(
            pk=case.sending_municipality_id
        )
    )
    quotas = Municipality.quotas_for(municipalities, year)
    use = quota_use(year=year, municipality_ids=[m.pk for m in municipalities])
    requests = list(Request.objects.filter(case=case).select_related("decision").order_by("sent_at"))
    open_ids = {r.recipient_id for r in requests if r.status in OPEN_REQUEST_STATUSES}
    excluded_ids = set(case.excluded_municipalities.values_list("pk", flat=True))
    options = []
    for municipality in municipalities:
        options.append(
            RecipientOption(
                municipality=municipality,
                quota=quotas[municipality.pk],
                received=use.get(municipality.pk, QuotaUse()).received,
                refusal=_refusal(case, municipality, open_ids, excluded_ids),
                earlier=[r for r in requests if r.recipient_id == municipality.pk],
            )
        )
    options.sort(key=lambda o: (o.refusal is not None, -o.quota_left, o.municipality.name))
    return options


def supervised_units(*, municipality_id: int) -> set[str]:
    """Return the units of a municipality that have an active supervisor who can give consent (rule 5).

    Pages warn when a chosen unit has nobody to consent, so that a request does not wait in vain.
    """
    from accounts.models import User

    return set(
        User.objects.filter(municipality_id=municipality_id, role=Role.SUPERVISOR, is_active=True)
        .exclude(unit="")
        .values_list("unit", flat=True)
    )


def case_collaboration_for_user(*, case: Case, user: User) -> Collaboration | None:
    """Return the collaboration of the case's current round for a side working on it; else ``None``."""
    if working_side(case, user) is None:
        return None
    return Collaboration.objects.filter(case=case, round=case.round).first()


def case_lusam_record_for_user(*, case: Case, user: User) -> LusamRecord | None:
    """Return the LUSAM record of a closed case for the sending side (who reports it); else ``None``."""
    if case.status != CaseStatus.CLOSED or working_side(case, user) != SENDING:
        return None
    return (
        LusamRecord.objects.filter(case=case)
        .select_related("destination", "first_accepted_by", "sending_municipality")
        .prefetch_related("asked")
        .first()
    )


def case_access_holders(*, case: Case) -> dict[str, list[User]]:
    """Return who holds ``work_on_case`` on ``case``, per side: ``{"sending": [...], "receiving": [...]}``.

    One query; each list is ordered by name. A grant held by someone whose municipality is no longer a
    side of the case gives nothing (see ``visible_cases``) and is not listed.
    """
    from accounts.models import User

    holders: dict[str, list[User]] = {SENDING: [], RECEIVING: []}
    granted = CaseUserObjectPermission.objects.filter(
        content_object=case, user_id=OuterRef("pk"), permission__codename=PERMISSION
    )
    for user in User.objects.filter(Exists(granted)).order_by("first_name", "last_name", "username"):
        side = case_role(case, user)
        if side is not None:
            holders[side].append(user)
    return holders


def colleagues_for_user(*, user: User) -> QuerySet[User]:
    """Return the active officers of the user's municipality (those a case can be shared with), by name."""
    from accounts.models import User

    if not _is_municipal(user, Role.OFFICER):
        return User.objects.none()
    return User.objects.filter(municipality_id=user.municipality_id, role=Role.OFFICER, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
