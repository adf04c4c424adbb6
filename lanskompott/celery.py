"""The Celery application. Tasks live in the apps; periodic work is a scan of the database."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanskompott.settings")

app = Celery("lanskompott")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
