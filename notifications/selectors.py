"""Reads of notifications: a user's list, the unread count and where each one leads."""

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from notifications.models import Notification, NotificationKind

# Kinds whose link leads to the consents a supervisor must give.
CONSENT_KINDS = {NotificationKind.CONSENT_REQUESTED}


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """Return ``user``'s notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("case", "request").order_by("-created_at", "-pk")


def unread_count_for_user(*, user: User) -> int:
    """Return how many of ``user``'s notifications are unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _first_url(candidates: list[tuple[str, tuple]]) -> str:
    """Return the first of ``(url name, args)`` that resolves, else the notification list.

    The case pages are built by another part of the app; until they exist the list is the safe target.
    """
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return reverse("notifications:list")


def notification_target_url(notification: Notification) -> str:
    """Return the page of the object a notification is about, as its user sees it.

    The receiving side of a request goes to the request; supervisors go to their consents; the sending
    side goes to the case. Those pages check access themselves.
    """
    if notification.kind in CONSENT_KINDS:
        return _first_url([("cases:consents", ())])
    user = notification.user
    request = notification.request
    if request is not None and user.municipality_id == request.recipient_id and user.municipality_id is not None:
        return _first_url([("cases:request_detail", (request.pk,)), ("cases:inbox", ())])
    if notification.case_id is not None:
        return _first_url([("cases:detail", (notification.case_id,))])
    return reverse("notifications:list")
