"""The Celery side: the beat entry, and the limits of retrying."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from lanskompott.celery import app
from notifications.email import MAX_EMAIL_ATTEMPTS
from notifications.models import Notification, Reminder
from notifications.reminders import reminders_scan
from tests.notifications.conftest import SENT_ON, at


def test_beat_scans_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-reminders-scan"]
    assert entry["task"] == "notifications.tasks.reminders_scan_task"
    assert entry["schedule"] == datetime.timedelta(minutes=5)
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert "notifications.tasks.notify_case_event" in app.tasks


@pytest.mark.django_db
def test_an_email_that_keeps_failing_is_left_for_an_operator_after_a_week(request_to_sala, settings):
    day = SENT_ON + datetime.timedelta(days=14)
    settings.EMAIL_BACKEND = "tests.notifications.mail.FailingBackend"
    with at(day):
        reminders_scan()
    Reminder.objects.update(attempts=MAX_EMAIL_ATTEMPTS - 1)
    Notification.objects.update(email_attempts=MAX_EMAIL_ATTEMPTS - 1)
    with at(day):
        assert reminders_scan() == []
        reminder = Reminder.objects.get()
        assert reminder.attempts == MAX_EMAIL_ATTEMPTS
        # The last try: no further scan touches it, and the in-app notification stays.
        settings.EMAIL_BACKEND = "tests.notifications.mail.NeutralCheckingBackend"
        assert reminders_scan() == []
    assert mail.outbox == []
    assert Reminder.objects.get().attempts == MAX_EMAIL_ATTEMPTS
    assert Notification.objects.get().emailed_at is None
