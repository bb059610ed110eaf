"""Putting a task on the broker without ever holding up a request (T13).

The database row is the truth: a task only says "look at row N". If the broker is down the
row stays pending and the next scan or sweep picks it up, so a failed enqueue is logged and
forgotten. ``apply_async(retry=False)`` plus the bounded Redis socket timeouts in settings
keep a failed attempt to a couple of seconds at worst (a refused connection fails at once).
"""

import logging
from collections.abc import Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import KombuError, OperationalError

    errors: list[type[BaseException]] = [OperationalError, KombuError, OSError]
    try:
        from redis.exceptions import RedisError

        errors.append(RedisError)
    except ImportError:  # pragma: no cover - redis is installed with celery[redis]
        pass
    return tuple(errors)


def enqueue(task, *args: object) -> bool:  # type: ignore[no-untyped-def]
    """Send ``task(*args)`` now; False (logged, never raised) if the broker is unreachable."""
    try:
        task.apply_async(args=args, retry=False)
    except _broker_errors() as error:
        logger.warning(
            "broker unreachable, %s left for the next sweep (%s)", task.name, type(error).__name__
        )
        return False
    return True


def enqueue_many(task, arg_list: Iterable[tuple]) -> int:  # type: ignore[no-untyped-def]
    """Send one task per argument tuple; stop at the first broker failure (the rest stay
    pending for the sweep rather than each waiting out a timeout). Returns how many went."""
    sent = 0
    for args in arg_list:
        if not enqueue(task, *args):
            break
        sent += 1
    return sent


def enqueue_on_commit(task, *args: object) -> None:  # type: ignore[no-untyped-def]
    """Like Celery's ``delay_on_commit``, but a broker failure after the commit is logged
    instead of raised into the request (``delay_on_commit`` would raise from the on-commit
    hook and turn a saved change into an error page)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def enqueue_many_on_commit(task, arg_list: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    if arg_list:
        transaction.on_commit(lambda: enqueue_many(task, arg_list))
