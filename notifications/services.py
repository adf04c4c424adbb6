"""Notifications: who hears of which timeline event, and marking as read.

Every state change that concerns the other municipality notifies it, in the app and by a neutral
e-mail. The notifications of one event are created once per user (a unique key), so a task delivered
twice notifies once.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from cases.events import EventKind
from cases.models import CaseEvent, Request
from notifications import recipients
from notifications.email import notification_emails_send
from notifications.models import EventDelivery, Notification, NotificationKind

Kind = NotificationKind

# Events told to the receiving municipality of the request, and the kind they are told as.
TO_RECEIVING = {
    EventKind.REQUEST_SENT: Kind.REQUEST_RECEIVED,
    EventKind.REQUEST_WITHDRAWN: Kind.REQUEST_WITHDRAWN,
    EventKind.REQUEST_SUPERSEDED: Kind.REQUEST_SUPERSEDED,
}
# Events told to the sending side of the case.
TO_SENDING = {
    EventKind.REQUEST_ACCEPTED: Kind.REQUEST_ACCEPTED,
    EventKind.REQUEST_DECLINED: Kind.REQUEST_DECLINED,
}
# Events told to the side other than the actor's (both sides when the actor is on neither).
TO_OTHER_SIDE = {
    EventKind.MOVE_CONFIRMED: Kind.MOVE_CONFIRMED,
    EventKind.REVEALED: Kind.REVEALED,
    EventKind.CASE_CLOSED: Kind.CASE_CLOSED,
}


def _event_requests(event: CaseEvent) -> list[Request]:
    """Return the requests an event is about: its own, or those whose ids it lists (one event, many sent)."""
    if event.request_id is not None:
        return [event.request]
    ids = event.data.get("request_ids") or event.data.get("requests") or []
    ids = [pk for pk in ids if isinstance(pk, int)]
    return list(Request.objects.filter(case_id=event.case_id, pk__in=ids))


def _other_side(event: CaseEvent) -> QuerySet[User]:
    case = event.case
    receiving_id = recipients.receiving_municipality_id(case)
    if event.actor_municipality_id == case.sending_municipality_id:
        return recipients.receiving_side(case, receiving_id)
    if receiving_id is not None and event.actor_municipality_id == receiving_id:
        return recipients.sending_side(case)
    return recipients.both_sides(case, receiving_id)


def _planned(event: CaseEvent) -> list[tuple[str, Request | None, QuerySet[User]]]:
    """Return (kind, request, users) for each group of people ``event`` concerns."""
    if event.kind in TO_RECEIVING:
        planned = []
        for request in _event_requests(event):
            users = recipients.receiving_side(event.case, request.recipient_id)
            if event.kind != EventKind.REQUEST_SENT:
                # Supervisors asked to consent hear that the question is gone.
                users = users | recipients.unit_supervisors(request)
            planned.append((TO_RECEIVING[event.kind], request, users))
        return planned
    if event.kind in TO_SENDING:
        return [(TO_SENDING[event.kind], event.request, recipients.sending_side(event.case))]
    if event.kind == EventKind.ACCEPTANCE_STARTED:
        requests = _event_requests(event)
        return [(Kind.CONSENT_REQUESTED, request, recipients.unit_supervisors(request)) for request in requests]
    if event.kind in TO_OTHER_SIDE:
        return [(TO_OTHER_SIDE[event.kind], event.request, _other_side(event))]
    return []


def notify_for_event(*, event_id: int) -> list[Notification]:
    """Notify the users concerned by the CaseEvent ``event_id`` (never its actor); return the notifications.

    Safe to run twice for one event: the notifications exist once, and each e-mail is sent once.
    """
    event = CaseEvent.objects.select_related("case", "request").filter(pk=event_id).first()
    if event is None:
        return []
    now = timezone.now()
    rows = []
    for kind, request, users in _planned(event):
        if event.actor_id is not None:
            users = users.exclude(pk=event.actor_id)
        for user in users.distinct():
            rows.append(
                Notification(
                    user=user,
                    kind=kind,
                    case_id=event.case_id,
                    request=request,
                    event=event,
                    created_at=now,
                )
            )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        EventDelivery.objects.get_or_create(event=event)
    notifications = list(Notification.objects.filter(event=event).order_by("pk"))
    notification_emails_send(notification_ids=[n.pk for n in notifications])
    return notifications


NOTIFIED_EVENT_KINDS = {*TO_RECEIVING, *TO_SENDING, EventKind.ACCEPTANCE_STARTED, *TO_OTHER_SIDE}
# How far back the scan looks for events whose task never ran, and how long it leaves the task to run first.
CATCH_UP_WINDOW = timedelta(days=3)
CATCH_UP_GRACE = timedelta(minutes=2)


def events_catch_up() -> int:
    """Notify for recent events that nobody was told of (their task was lost); return how many."""
    now = timezone.now()
    delivered = EventDelivery.objects.filter(event=OuterRef("pk"))
    event_ids = list(
        CaseEvent.objects.filter(
            kind__in=NOTIFIED_EVENT_KINDS, at__gte=now - CATCH_UP_WINDOW, at__lte=now - CATCH_UP_GRACE
        )
        .exclude(Exists(delivered))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for event_id in event_ids:
        notify_for_event(event_id=event_id)
    return len(event_ids)


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of ``user``'s notifications as read (already read stays as it was)."""
    if notification.user_id != user.pk:
        raise PermissionError("not the user's notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` as read; return how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
