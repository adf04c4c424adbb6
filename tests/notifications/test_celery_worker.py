"""A real Celery worker on real Redis: a due reminder becomes a notification; a killed worker loses nothing.

Skipped when ``LK_TEST_REDIS_URL`` is unset or the tests run on SQLite (the worker is a separate process
and must see the test database); failed, not skipped, when it is set and Redis does not answer. The worker
runs the production settings module, not eager, with the broker from the environment, and prints its
e-mails to its log (console backend); the log's e-mails are checked for anything they must not name.
"""

import datetime
import email
import email.policy
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from notifications.models import Notification, NotificationKind, Reminder
from notifications.tasks import reminders_scan_task
from tests.conftest import municipality
from tests.factories import RequestFactory
from tests.notifications import mail as checking

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("LK_TEST_REDIS_URL", "")
BASE_DIR = Path(django_settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
TIMEOUT = 60


def _redis_reachable() -> bool:
    if not REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_broker():
    """Point this process's Celery app at the test Redis, not eager; restore it afterwards."""
    if not REDIS_URL:
        pytest.skip("LK_TEST_REDIS_URL is unset (scripts/test.sh sets it)")
    if not _redis_reachable():
        # Set but down: in CI that is a broken setup, never a reason to pass quietly.
        pytest.fail(f"LK_TEST_REDIS_URL is set but Redis does not answer at {REDIS_URL}")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the PostgreSQL test database")
    import redis

    from lanskompott.celery import app

    # This Redis database is the test's own: start without messages left by an earlier run.
    redis.Redis.from_url(REDIS_URL).flushdb()
    keys = ("broker_url", "broker_transport_options", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    _drop_connections(app)
    app.conf.update(
        broker_url=REDIS_URL, broker_transport_options={"visibility_timeout": 3600}, task_always_eager=False
    )
    yield app
    _drop_connections(app)
    app.conf.update(saved)


def _drop_connections(app) -> None:
    """Forget the app's broker connections, so that the next message uses the broker configured now.

    ``close()`` drops the connection pool; the producer pool is cached apart (an eager task run earlier
    in the session can have created it for the file-system broker).
    """
    app.close()
    app.amqp._producer_pool = None


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """A ``celery worker --pool=solo`` subprocess in its own process group, its output in a file."""

    def __init__(self, log: Path, mail_delay: float = 0.0) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lanskompott.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "worker-test-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "LANSKOMPOTT_SITE_URL": "https://arendestod.example",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DJANGO_EMAIL_BACKEND": "tests.notifications.mail.SlowConsoleBackend",
            "LK_TEST_MAIL_DELAY": str(mail_delay),
            "PYTHONUNBUFFERED": "1",
        }
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "lanskompott",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, the database connection just drops."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._out.close()

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()


def wait_until(condition, worker: Worker, what: str, resend=None):
    """Poll the database until ``condition()`` holds; fail with the worker's log after TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    next_resend = time.monotonic() + 10
    while time.monotonic() < deadline:
        if condition():
            return
        if not worker.alive():
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.log.read_text()[-3000:]}")
        if resend is not None and time.monotonic() > next_resend:
            resend()
            next_resend = time.monotonic() + 10
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{worker.log.read_text()[-3000:]}")


def emails_in_log(log: Path) -> list[email.message.EmailMessage]:
    """Return the e-mails the console backend printed to ``log``."""
    messages = []
    for block in log.read_bytes().split(b"-" * 79):
        start = block.find(b"Content-Type: text/plain")
        if start != -1:
            messages.append(email.message_from_bytes(block[start:].strip() + b"\n", policy=email.policy.default))
    return messages


def assert_neutral(messages) -> None:
    words = checking.forbidden_words()
    for message in messages:
        text = f"{message['Subject']}\n{message.get_content()}"
        assert "Du har en ny notis i ärendestödet." in text
        assert checking.violations_in(text, words) == []


def due_requests(case, count: int) -> list:
    """``count`` open requests of ``case``'s municipality to Sala whose 7-days-left reminder is due today."""
    reply_by = timezone.localdate() + datetime.timedelta(days=7)
    requests = [RequestFactory(case=case, recipient=municipality("Sala"), sent_by=case.created_by, reply_by=reply_by)]
    for _ in range(count - 1):
        requests.append(
            RequestFactory(
                recipient=municipality("Sala"),
                case__sending_municipality=case.sending_municipality,
                case__created_by=case.created_by,
                reply_by=reply_by,
            )
        )
    return requests


def test_a_worker_on_redis_turns_a_due_reminder_into_a_notification(redis_broker, case_koping, contact_sala, tmp_path):
    due_requests(case_koping, 1)
    worker = Worker(tmp_path / "worker.log")
    try:
        reminders_scan_task.delay()
        wait_until(
            lambda: Reminder.objects.filter(kind=NotificationKind.REPLY_7_DAYS, sent_at__isnull=False).exists(),
            worker,
            "the reminder to be sent",
        )
    finally:
        worker.stop()
    notification = Notification.objects.get()
    assert notification.user == contact_sala
    assert notification.kind == NotificationKind.REPLY_7_DAYS
    assert notification.emailed_at is not None
    messages = emails_in_log(worker.log)
    assert len(messages) == 1
    assert messages[0]["To"] == contact_sala.email
    assert_neutral(messages)


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(redis_broker, case_koping, contact_sala, tmp_path):
    due_requests(case_koping, 4)
    log = tmp_path / "worker.log"
    first = Worker(log, mail_delay=1.5)
    try:
        reminders_scan_task.delay()
        wait_until(
            lambda: Reminder.objects.filter(sent_at__isnull=False).exists(), first, "the first reminder of the batch"
        )
    finally:
        first.kill()
    # Every reminder was claimed before sending began; the batch stopped part-way.
    assert Reminder.objects.count() == 4
    sent_before = Reminder.objects.filter(sent_at__isnull=False).count()
    assert 1 <= sent_before < 4

    second = Worker(log)
    try:
        # The next scan (beat would send it within five minutes) finishes the claimed, unsent rows.
        reminders_scan_task.delay()
        wait_until(
            lambda: not Reminder.objects.filter(sent_at__isnull=True).exists(),
            second,
            "the unsent reminders",
            resend=reminders_scan_task.delay,
        )
    finally:
        second.stop()
    assert Reminder.objects.count() == 4
    assert Notification.objects.count() == 4
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"contact_sala"}
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    messages = emails_in_log(log)
    # Each reminder's e-mail at least once; at most one more for the one in flight when the worker died.
    assert 4 <= len(messages) <= 5
    assert_neutral(messages)
