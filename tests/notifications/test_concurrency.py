"""Two scans at once on PostgreSQL: each reminder is recorded and sent once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from notifications.models import Notification, Reminder
from notifications.reminders import reminders_scan
from tests.conftest import municipality
from tests.factories import RequestFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_due(request_to_sala, make_user, officer_koping):
    """Six open requests of six cases whose 7-days-left reminder is due, to two contact persons each."""
    make_user("officer", "Sala", username="contact_sala_2", is_contact_person=True)
    for _ in range(5):
        RequestFactory(
            recipient=municipality("Sala"),
            case__sending_municipality=municipality("Köping"),
            case__created_by=officer_koping,
            sent_at=request_to_sala.sent_at,
            reply_by=request_to_sala.reply_by,
        )
    return request_to_sala.reply_by - datetime.timedelta(days=7)


def test_two_concurrent_scans_send_each_reminder_once(many_due, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    settings.EMAIL_BACKEND = "tests.notifications.mail.SlowBackend"
    barrier = threading.Barrier(2)
    results: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = [reminder.pk for reminder in reminders_scan(today=many_due)]
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Reminder.objects.count() == 6
    assert sorted(results[0] + results[1]) == sorted(Reminder.objects.values_list("pk", flat=True))
    assert Notification.objects.count() == 12
    assert len(mail.outbox) == 12
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    # Both scans did part of the work: the locks were really shared, not taken one after the other.
    assert results[0] and results[1]
