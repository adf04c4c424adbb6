"""The LUSAM meetings, kept by county staff: the dates, and which LUSAM records were presented at each.

The meeting dates drive the report's default period ("since the last meeting") and the reminder that
tells a sending contact person to present a closed case before the next meeting. Marking a meeting's
records as presented ends those reminders. The rules of this page live here, like the case rules in
``cases.workflow``: each change in a transaction with the row locked, a Swedish ``MeetingError`` when a
rule says no, and an audit row for each change.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseStatus, LusamRecord
from municipalities.models import LusamMeeting


class MeetingError(Exception):
    """A change of the meetings that a rule refuses; ``message`` is shown to the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _check_actor(actor: User) -> int:
    if actor.role != Role.COUNTY or not actor.network_id or not actor.is_active:
        raise MeetingError(_("Bara länsstyrelsens personal i nätverket kan ändra LUSAM-mötena."))
    return actor.network_id


def unpresented_records(network_id: int, up_to: date):
    """Return the records of closed cases of the network, closed on or before ``up_to``, not yet presented."""
    return LusamRecord.objects.filter(
        sending_municipality__network_id=network_id,
        presented_at__isnull=True,
        case__status=CaseStatus.CLOSED,
        closed_on__lte=up_to,
    )


def lusam_meeting_add(*, actor: User, on: date) -> LusamMeeting:
    """Add a meeting of the actor's network on ``on`` (one meeting a day)."""
    network_id = _check_actor(actor)
    try:
        with transaction.atomic():
            meeting = LusamMeeting.objects.create(network_id=network_id, date=on)
    except IntegrityError:
        raise MeetingError(
            _("Det finns redan ett LUSAM-möte %(date)s.") % {"date": on.isoformat()}, field="date"
        ) from None
    audit_record(action=AuditAction.CHANGE, user=actor, obj=meeting)
    return meeting


def _lock(actor: User, meeting: LusamMeeting) -> LusamMeeting:
    network_id = _check_actor(actor)
    locked = LusamMeeting.objects.select_for_update().filter(pk=meeting.pk, network_id=network_id).first()
    if locked is None:
        raise MeetingError(_("Mötet finns inte längre."))
    return locked


def lusam_meeting_remove(*, actor: User, meeting: LusamMeeting) -> None:
    """Remove a meeting that has not taken place; a meeting with presented records stays."""
    with transaction.atomic():
        meeting = _lock(actor, meeting)
        if meeting.date < timezone.localdate():
            raise MeetingError(_("Ett möte som redan har hållits kan inte tas bort."))
        if LusamRecord.objects.filter(presented_at=meeting).exists():
            raise MeetingError(_("Mötet har redovisade ärenden och kan inte tas bort."))
        audit_record(action=AuditAction.CHANGE, user=actor, obj=meeting)
        meeting.delete()


def lusam_records_mark_presented(*, actor: User, meeting: LusamMeeting) -> int:
    """Record that every closed case not yet presented, closed up to the meeting's day, was presented at it.

    Only a meeting that has taken place (today or earlier). Returns how many records were marked.
    """
    with transaction.atomic():
        meeting = _lock(actor, meeting)
        if meeting.date > timezone.localdate():
            raise MeetingError(_("Ärenden kan markeras som redovisade först när mötet har hållits."))
        records = unpresented_records(meeting.network_id, meeting.date).select_for_update(of=("self",))
        ids = list(records.values_list("pk", flat=True))
        count = LusamRecord.objects.filter(pk__in=ids, presented_at__isnull=True).update(presented_at=meeting)
        audit_record(action=AuditAction.CHANGE, user=actor, obj=meeting)
    return count
