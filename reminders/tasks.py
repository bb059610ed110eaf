"""Celery tasks: ids and codes in, one service call each, idempotent (ARCHITECTURE.md).

Queues: ``scans`` for the rule scans, ``sending`` for email (routes in iro_service/celery.py).
With ``acks_late`` and ``reject_on_worker_lost`` a task whose worker dies is delivered again;
running any of these twice changes nothing.
"""

import logging

from celery import shared_task
from django.db import OperationalError

from reminders import registry, services
from reminders.enqueue import enqueue_many

logger = logging.getLogger(__name__)


@shared_task(
    name="reminders.tasks.scan_rule",
    autoretry_for=(OperationalError,),  # a locked SQLite file in the demo, a failover
    retry_backoff=2,
    max_retries=3,
)
def scan_rule(code: str) -> int:
    """Scan one rule for the London "today" (computed here, not by beat)."""
    return services.rule_scan(code).inserted


@shared_task(name="reminders.tasks.scan_all")
def scan_all() -> int:
    """Queue one scan per registered rule; then the sweep (anything left pending)."""
    services.scan_runs_prune()
    sent = enqueue_many(scan_rule, [(rule.code,) for rule in registry.rules()])
    enqueue_many(sweep_deliveries, [()])
    return sent


@shared_task(name="reminders.tasks.send_email")
def send_email_task(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(name="reminders.tasks.sweep_deliveries")
def sweep_deliveries() -> int:
    """Queue every pending email again (the broker may have lost them; the claim makes a
    duplicate message harmless)."""
    return enqueue_many(send_email_task, [(pk,) for pk in services.deliveries_sweep()])


@shared_task(name="reminders.tasks.send_digests")
def send_digests() -> int:
    return enqueue_many(send_email_task, [(pk,) for pk in services.digests_prepare()])
