"""Celery tasks of the notifications app. Thin: they take ids and call a service."""

from celery import shared_task


@shared_task
def notify_case_event(event_id: int) -> None:
    """Tell the people concerned about one timeline event (in the app and by neutral e-mail)."""
    from notifications.services import notify_for_event

    notify_for_event(event_id=event_id)
