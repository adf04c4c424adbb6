"""Writes of the municipalities app: the contact-person hand-over routine."""

from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from audit.models import AuditAction
from audit.services import audit_record

WORK_ON_CASE = "cases.work_on_case"


class HandoverError(Exception):
    """The hand-over cannot be made; the message (Swedish) says why."""


def contact_person_handover(*, old: User, new: User, actor: User) -> list[int]:
    """Make ``new`` the contact person in place of ``old`` and let ``new`` see the old person's open cases.

    The old person keeps their own grants (they may still be working on the cases); an
    administrator deactivates the account separately. Every grant is written to the case's
    timeline and to the audit log. Return the ids of the cases ``new`` was given.
    """
    from cases.events import EventKind, record_event
    from cases.models import Case, CaseStatus, CaseUserObjectPermission

    if not (actor.is_superuser or actor.role == Role.ADMIN):
        raise HandoverError(_("Bara en administratör kan byta kontaktperson."))
    with transaction.atomic():
        locked = {user.pk: user for user in User.objects.select_for_update().filter(pk__in=[old.pk, new.pk])}
        old, new = locked[old.pk], locked[new.pk]
        if old.pk == new.pk:
            raise HandoverError(_("Välj en annan person än den nuvarande kontaktpersonen."))
        if old.municipality_id is None or old.municipality_id != new.municipality_id:
            raise HandoverError(_("Den nya kontaktpersonen måste arbeta i samma kommun."))
        if not old.is_contact_person:
            raise HandoverError(_("%(name)s är inte kontaktperson.") % {"name": old.get_full_name() or old.username})
        if not new.is_active or new.role != Role.OFFICER:
            raise HandoverError(_("Den nya kontaktpersonen måste vara en aktiv handläggare."))

        old.is_contact_person = False
        old.save(update_fields=["is_contact_person"])
        new.is_contact_person = True
        new.save(update_fields=["is_contact_person"])
        audit_record(action=AuditAction.CHANGE, user=actor, obj=new)

        already = CaseUserObjectPermission.objects.filter(user=new, permission__codename="work_on_case").values(
            "content_object_id"
        )
        open_cases = (
            Case.objects.filter(
                caseuserobjectpermission__user=old,
                caseuserobjectpermission__permission__codename="work_on_case",
            )
            .exclude(status=CaseStatus.CLOSED)
            .exclude(pk__in=already)
            .distinct()
            .order_by("pk")
        )
        granted = []
        for case in open_cases:
            assign_perm(WORK_ON_CASE, new, case)
            record_event(
                case=case,
                kind=EventKind.ACCESS_GRANTED,
                actor=actor,
                data={"user_id": new.pk, "handover_from_user_id": old.pk},
            )
            audit_record(action=AuditAction.GRANT, user=actor, obj=case)
            granted.append(case.pk)
    return granted
