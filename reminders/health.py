"""Health checks for /healthz and the administrators' page: database, broker (degraded,
never down, when Redis is unreachable: pages do not need it, T13), queue lengths."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import connection

from iro_service.celery import QUEUES

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 1.0


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any database error means "not ok"
        logger.warning("health: database unreachable")
        return False


def broker_url() -> str:
    return settings.CELERY_BROKER_URL


def _redis():  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(
        broker_url(),
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
        retry_on_timeout=False,
    )


def broker_status() -> str:
    """ "ok" or "degraded" (reminders wait in the database until the broker is back)."""
    if broker_url().startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return "ok" if folder.is_dir() else "degraded"
    try:
        client = _redis()
        client.ping()
        client.close()
        return "ok"
    except Exception:  # unreachable, refused, timed out, wrong password: all degraded
        logger.warning("health: broker unreachable")
        return "degraded"


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting per queue; None when the broker cannot be asked."""
    if broker_url().startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if not folder.is_dir():
            return dict.fromkeys(QUEUES)
        names = [path.name for path in folder.iterdir()]
        return {queue: sum(1 for name in names if f".{queue}." in name) for queue in QUEUES}
    try:
        client = _redis()
        lengths = {queue: int(client.llen(queue)) for queue in QUEUES}
        client.close()
        return lengths
    except Exception:
        return dict.fromkeys(QUEUES)
