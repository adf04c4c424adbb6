"""In development (the README's ``scripts/run.sh``) no Redis is needed: tasks go to a folder on disk."""

import json
import os
import subprocess
import sys

from django.conf import settings

ENQUEUE = """
import django
django.setup()
from django.conf import settings
from notifications.tasks import reminders_scan_task
print(settings.CELERY_BROKER_URL)
reminders_scan_task.delay()
"""


def test_development_settings_queue_tasks_in_a_folder_without_any_server(tmp_path):
    for folder in ("queue", "processed", "control"):
        (tmp_path / "celery" / folder).mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "LK_TEST_REDIS_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lanskompott.settings",
        DJANGO_DEBUG="true",
        LANSKOMPOTT_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", ENQUEUE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "filesystem://"
    messages = list((tmp_path / "celery" / "queue").iterdir())
    assert len(messages) == 1
    body = json.loads(messages[0].read_text())
    assert body["headers"]["task"] == "notifications.tasks.reminders_scan_task"
