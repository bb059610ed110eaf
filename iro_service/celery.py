"""The Celery app and the one beat schedule (in UTC; tasks compute London dates themselves).

Queues: ``scans`` (rule scans), ``sending`` (emails), ``celery`` (anything else). Beat only
says "scan now"; what is due comes from the database inside each task, so a missed or
doubled beat is harmless (T7). In demo mode the scans run every minute, so reminders appear
within a minute of a due date being crossed (``manage.py demo_fast_forward``).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")

app = Celery("iro_service")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

DEMO = os.environ.get("IRO_DEMO_MODE", "").strip().lower() in {"1", "true", "yes", "on"}
SCAN_SECONDS = int(os.environ.get("REMINDERS_SCAN_SECONDS", "60" if DEMO else "900"))

# Several deployments (or test runs) may share one Redis: CELERY_QUEUE_PREFIX keeps their
# queues apart. Workers listen with -Q on the same prefixed names.
QUEUE_PREFIX = os.environ.get("CELERY_QUEUE_PREFIX", "")
QUEUES = tuple(f"{QUEUE_PREFIX}{name}" for name in ("scans", "sending", "celery"))
SCANS, SENDING, DEFAULT = QUEUES

app.conf.task_default_queue = DEFAULT
app.conf.task_routes = {
    "reminders.tasks.scan_*": {"queue": SCANS},
    "reminders.tasks.send_*": {"queue": SENDING},
    "reminders.tasks.sweep_*": {"queue": SENDING},
}

app.conf.beat_schedule = {
    # Every rule, every 15 minutes (every minute in the demo); expires so that a backlog
    # built while workers were down collapses into the next run.
    "reminders-scan-all": {
        "task": "reminders.tasks.scan_all",
        "schedule": SCAN_SECONDS,
        "options": {"expires": SCAN_SECONDS},
    },
    # Emails left pending (broker down at enqueue, a killed worker, a retry due).
    "reminders-sweep": {
        "task": "reminders.tasks.sweep_deliveries",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # The 07:30 London digest: 07:30 is 06:30 or 07:30 UTC depending on the season, so beat
    # asks every quarter hour and the task sends once London time has passed 07:30.
    "reminders-digests": {
        "task": "reminders.tasks.send_digests",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 900},
    },
    # Every child in care has its next review; children who left care have none open.
    "reviews-sync-next": {
        "task": "reviews.tasks.sync_next_reviews",
        "schedule": crontab(minute=5, hour="*"),
        "options": {"expires": 3600},
    },
    # Every child's retention end, for rows imported in bulk (the services keep it on
    # every other write). 02:40 UTC: the quiet hours in either season.
    "retention-recompute": {
        "task": "retention.tasks.recompute_retention",
        "schedule": crontab(minute=40, hour=2),
        "options": {"expires": 6 * 3600},
    },
}
