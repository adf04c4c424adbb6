"""Who may see and work on a case: per-case, per-person grants (django-guardian, direct foreign key).

The sending side works on a case when it holds ``cases.work_on_case``: the creator gets it at creation,
colleagues of the same municipality only when a holder grants it. After acceptance the receiving
municipality's contact person sees the shared parts and may grant them to their own officers.
Every grant and revocation is a timeline event and an audit row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus, CaseUserObjectPermission, Request

if TYPE_CHECKING:
    from accounts.models import User

PERMISSION = "work_on_case"
FULL_PERMISSION = "cases.work_on_case"

SENDING = "sending"
RECEIVING = "receiving"

MSG_NOT_ALLOWED = _("Du har inte behörighet att ändra vem som har tillgång till ärendet.")
MSG_NOT_COLLEAGUE = _("Behörighet kan bara ges till aktiva handläggare i din egen kommun.")
MSG_ALREADY_GRANTED = _("Personen har redan tillgång till ärendet.")
MSG_NOT_GRANTED = _("Personen har ingen tillgång till ärendet att återkalla.")
MSG_LAST_HOLDER = _("Minst en handläggare i överlämnande kommun måste ha tillgång till ärendet.")
MSG_CONTACT_PERSON = _("Kontaktpersonen ser ärendet genom sitt uppdrag; det behöver inte ges eller återkallas.")


def _is_municipal_officer(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.OFFICER
        and user.municipality_id is not None
    )


# Attribute of a case object on which ``has_case_grant`` remembers its answers (see ``remember_grants``).
GRANT_CACHE = "_work_on_case_grants"


def remember_grants(case: Case) -> Case:
    """Let ``has_case_grant`` remember its answers on this one case object; return the case.

    For the case a page fetched for one request: the page asks the same question several times (side,
    allowed actions, menu, requests, timeline). Workflow functions lock and fetch the case afresh, so
    they never see a remembered answer; ``grant`` forgets the user's answer on the object it is given.
    """
    setattr(case, GRANT_CACHE, {})
    return case


def has_case_grant(user: User, case: Case) -> bool:
    """Return whether ``user`` holds ``work_on_case`` on ``case`` (one query; remembered per case object
    only after ``remember_grants``)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    cache = getattr(case, GRANT_CACHE, None)
    if cache is not None and user.pk in cache:
        return cache[user.pk]
    answer = CaseUserObjectPermission.objects.filter(
        user_id=user.pk, content_object_id=case.pk, permission__codename=PERMISSION
    ).exists()
    if cache is not None:
        cache[user.pk] = answer
    return answer


def case_role(case: Case, user: User) -> str | None:
    """Return ``'sending'``, ``'receiving'`` or ``None``: the side ``user`` stands on in ``case``.

    Pure (no query): decided by the user's municipality. Call it on a case fetched with
    ``case_get_for_user``, which already checked that the user may see it.
    """
    municipality_id = getattr(user, "municipality_id", None)
    if municipality_id is None:
        return None
    if municipality_id == case.sending_municipality_id:
        return SENDING
    if case.receiving_municipality_id is not None and municipality_id == case.receiving_municipality_id:
        return RECEIVING
    return None


def request_role(request: Request, user: User) -> str | None:
    """Return ``'sending'``, ``'receiving'`` or ``None``: the side ``user`` stands on for one request (pure)."""
    municipality_id = getattr(user, "municipality_id", None)
    if municipality_id is None:
        return None
    if municipality_id == request.sender_id:
        return SENDING
    if municipality_id == request.recipient_id:
        return RECEIVING
    return None


def working_side(case: Case, user: User) -> str | None:
    """Return the side on which ``user`` may work on ``case`` (an officer with access), else ``None``.

    Sending side: an officer of the sending municipality holding ``work_on_case``. Receiving side (after
    acceptance): the receiving municipality's contact person, or an officer of it holding ``work_on_case``.
    """
    if not _is_municipal_officer(user):
        return None
    side = case_role(case, user)
    if side == SENDING:
        return SENDING if has_case_grant(user, case) else None
    if side == RECEIVING:
        return RECEIVING if (user.is_contact_person or has_case_grant(user, case)) else None
    return None


def can_manage_access(case: Case, user: User) -> bool:
    """Return whether ``user`` may grant and revoke access to ``case`` for their own municipality.

    On the sending side any officer who works on the case; on the receiving side its contact person.
    """
    side = working_side(case, user)
    if side == SENDING:
        return True
    return side == RECEIVING and user.is_contact_person and case.status != CaseStatus.PREPARATION


def grant(*, case: Case, user: User) -> None:
    """Give ``user`` ``work_on_case`` on ``case`` without checks; callers record the event and audit row."""
    assign_perm(FULL_PERMISSION, user, case)
    getattr(case, GRANT_CACHE, {}).pop(user.pk, None)


def _check_colleague(case: Case, actor: User, user: User) -> None:
    from cases.workflow import WorkflowError

    if not can_manage_access(case, actor):
        raise WorkflowError(MSG_NOT_ALLOWED)
    # Only officers work on cases; supervisors see the consents they are asked for, never the case.
    if not (
        user.is_active
        and user.role == Role.OFFICER
        and user.municipality_id is not None
        and user.municipality_id == actor.municipality_id
    ):
        raise WorkflowError(MSG_NOT_COLLEAGUE, field="user")


def case_access_grant(*, case: Case, actor: User, user: User) -> None:
    """Give ``user`` (a colleague of the actor's own municipality) ``work_on_case`` on ``case``."""
    from cases.events import EventKind, record_event
    from cases.workflow import WorkflowError

    _check_colleague(case, actor, user)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _check_colleague(case, actor, user)
        if case_role(case, user) == RECEIVING and user.is_contact_person and user.role == Role.OFFICER:
            raise WorkflowError(MSG_CONTACT_PERSON, field="user")
        if has_case_grant(user, case):
            raise WorkflowError(MSG_ALREADY_GRANTED, field="user")
        grant(case=case, user=user)
        record_event(case=case, kind=EventKind.ACCESS_GRANTED, actor=actor, data={"user_id": user.pk})
        audit_record(action=AuditAction.GRANT, user=actor, obj=user, case_id=case.pk)


def case_access_revoke(*, case: Case, actor: User, user: User) -> None:
    """Take ``work_on_case`` on ``case`` away from ``user`` (a colleague of the actor's own municipality).

    The last officer of the sending municipality who works on the case cannot be removed.
    """
    from cases.events import EventKind, record_event
    from cases.workflow import WorkflowError

    _check_colleague(case, actor, user)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _check_colleague(case, actor, user)
        if not has_case_grant(user, case):
            raise WorkflowError(MSG_NOT_GRANTED)
        if case_role(case, user) == SENDING:
            remaining = (
                CaseUserObjectPermission.objects.filter(
                    content_object=case,
                    permission__codename=PERMISSION,
                    user__municipality_id=case.sending_municipality_id,
                    user__role=Role.OFFICER,
                    user__is_active=True,
                )
                .exclude(user_id=user.pk)
                .exists()
            )
            if not remaining:
                raise WorkflowError(MSG_LAST_HOLDER)
        remove_perm(FULL_PERMISSION, user, case)
        getattr(case, GRANT_CACHE, {}).pop(user.pk, None)
        record_event(case=case, kind=EventKind.ACCESS_REVOKED, actor=actor, data={"user_id": user.pk})
        audit_record(action=AuditAction.REVOKE, user=actor, obj=user, case_id=case.pk)


def revoke_outside_sending_side(*, case: Case, actor: User) -> list[int]:
    """Remove every grant held by someone outside the sending municipality (a new round, rule 12).

    Call inside the transaction that holds the case lock; returns the ids of the users who lost access.
    """
    from accounts.models import User
    from cases.events import EventKind, record_event

    grants = CaseUserObjectPermission.objects.filter(content_object=case).exclude(
        user__municipality_id=case.sending_municipality_id
    )
    users = list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))
    grants.delete()
    for user in users:
        record_event(
            case=case, kind=EventKind.ACCESS_REVOKED, actor=actor, data={"user_id": user.pk, "automatic": True}
        )
        audit_record(action=AuditAction.REVOKE, user=actor, obj=user, case_id=case.pk)
    return [user.pk for user in users]
