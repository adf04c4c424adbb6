"""The timeline: one CaseEvent per transition, written in the transaction of the change.

After the transaction commits, the notifications app is told about the event, so that the
people of the other municipality hear of it (see notifications.tasks.notify_case_event).
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseEvent, Request


class EventKind(models.TextChoices):
    CASE_CREATED = "case_created", _("Ärendet skapades")
    TARGET_GROUP_UPDATED = "target_group_updated", _("Målgrupp ändrad")
    PREPARATION_UPDATED = "preparation_updated", _("Förberedelse uppdaterad")
    FORM_UPDATED = "form_updated", _("Förfrågningsunderlaget uppdaterat")
    ACCESS_GRANTED = "access_granted", _("Behörighet given")
    ACCESS_REVOKED = "access_revoked", _("Behörighet återkallad")
    REQUEST_SENT = "request_sent", _("Förfrågan skickad")
    REQUEST_WITHDRAWN = "request_withdrawn", _("Förfrågan återkallad")
    ACCEPTANCE_STARTED = "acceptance_started", _("Accept påbörjad – berörda enheter valda")
    CONSENT_GIVEN = "consent_given", _("Arbetsledare har samtyckt")
    REQUEST_ACCEPTED = "request_accepted", _("Förfrågan accepterad")
    REQUEST_DECLINED = "request_declined", _("Förfrågan nekad")
    REQUEST_SUPERSEDED = "request_superseded", _("Förfrågan avslutad – överenskommelse på annat håll")
    MEETING_RECORDED = "meeting_recorded", _("Möte registrerat")
    COLLABORATION_UPDATED = "collaboration_updated", _("Samarbete uppdaterat")
    MOVE_PLAN_UPDATED = "move_plan_updated", _("Flyttplan uppdaterad")
    TAX_AGENCY_DECISION = "tax_agency_decision", _("Skatteverkets beslut registrerat")
    MOVE_CONFIRMED = "move_confirmed", _("Flytt bekräftad")
    ECONOMIC_AGREEMENT = "economic_agreement", _("Överenskommelse om ekonomiskt ansvar")
    REVEALED = "revealed", _("Ny bostadsort röjd eller kan inte bo kvar – ny omgång")
    CASE_CLOSED = "case_closed", _("Ärendet avslutat")
    TEXT_ERASED = "text_erased", _("Fritext raderad enligt gallringsregel")


def record_event(
    *,
    case: Case,
    kind: EventKind,
    actor=None,
    request: Request | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Write one timeline event; notify the other side once the transaction commits.

    ``data`` holds ids, dates and choice values only, never free text of the case.
    """
    event = CaseEvent.objects.create(
        case=case,
        request=request,
        at=timezone.now(),
        actor=actor,
        actor_municipality_id=getattr(actor, "municipality_id", None),
        kind=kind,
        data=data or {},
    )
    # Every change is also in the audit log (user, role, organisation, address), in the same transaction.
    audit_record(action=AuditAction.CHANGE, user=actor, obj=request if request is not None else case, case_id=case.pk)
    # robust: a broker that is down must not turn a saved change into an error page; the reminder
    # scan catches up on events whose notification task was lost.
    transaction.on_commit(lambda: _dispatch(event.pk), robust=True)
    return event


def _dispatch(event_id: int) -> None:
    from notifications.tasks import notify_case_event

    notify_case_event.delay(event_id)
