"""The Celery app and the one beat schedule (in UTC; tasks compute London dates themselves)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")

app = Celery("iro_service")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {}
