"""Celery tasks of the notifications app. Thin: they take ids and call a service.

Both are safe to run twice (acks_late redelivers a task whose worker died): notifications are
created under unique keys and each e-mail is sent under a row lock.
"""

from celery import shared_task
from django.db import DatabaseError


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def notify_case_event(event_id: int) -> None:
    """Tell the people concerned about one timeline event (in the app and by neutral e-mail)."""
    from notifications.services import notify_for_event

    notify_for_event(event_id=event_id)


@shared_task
def reminders_scan_task() -> int:
    """Claim and send the reminders due today, catch up on lost event notifications, e-mail again what failed.

    Run by beat every five minutes.
    """
    from notifications.email import event_emails_retry
    from notifications.reminders import reminders_scan
    from notifications.services import events_catch_up

    sent = reminders_scan()
    events_catch_up()
    event_emails_retry()
    return len(sent)
