"""Neutral e-mail about notifications: one sentence and a link, nothing of the case.

The subject and body never name the network, a person, a municipality or a case reference; they are the
same for every notification, so that a mailbox read by the wrong eyes reveals nothing.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification

logger = logging.getLogger(__name__)

# A week of scans every five minutes: an e-mail is retried that long (a mail server down over a weekend),
# then left for an operator (the notification itself stays in the app).
MAX_EMAIL_ATTEMPTS = 7 * 24 * 12


def notification_list_url() -> str:
    """Return the absolute address of the notification list."""
    return settings.SITE_URL.rstrip("/") + reverse("notifications:list")


def neutral_message(*, to: str) -> EmailMessage:
    """Return the neutral e-mail telling ``to`` that there is a new notification."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"url": notification_list_url()}
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def emailable(notifications):
    """Return the notifications of ``notifications`` still to be e-mailed (users without address never are)."""
    return notifications.filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS).exclude(user__email="")


def notification_email_send(*, notification: Notification) -> bool:
    """Send the e-mail of one notification and record it; return whether it went out.

    The caller holds the lock that makes this notification theirs. A failure is counted, logged without
    its message (which can quote an address) and left for the next scan.
    """
    try:
        neutral_message(to=notification.user.email).send()
    except Exception as error:
        notification.email_attempts += 1
        notification.save(update_fields=["email_attempts"])
        level = logging.ERROR if notification.email_attempts >= MAX_EMAIL_ATTEMPTS else logging.WARNING
        logger.log(level, "E-mail of notification %s failed (%s)", notification.pk, type(error).__name__)
        return False
    notification.emailed_at = timezone.now()
    notification.email_attempts += 1
    notification.save(update_fields=["emailed_at", "email_attempts"])
    return True


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """E-mail each notification not yet e-mailed, each under its own row lock; return how many went out.

    ``skip_locked`` lets two workers share the work: a row another worker holds is its business.
    """
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                emailable(Notification.objects.filter(pk=pk))
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .first()
            )
            if notification is not None and notification_email_send(notification=notification):
                sent += 1
    return sent


def event_emails_retry() -> int:
    """E-mail again the notifications of timeline events whose e-mail failed; return how many went out."""
    ids = list(emailable(Notification.objects.filter(event__isnull=False)).order_by("pk").values_list("pk", flat=True))
    return notification_emails_send(notification_ids=ids)
