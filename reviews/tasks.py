"""Background work for reviews: keep every child in care's next review in place."""

import logging

from celery import shared_task

from reviews.services import reviews_sync_next

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def sync_next_reviews() -> int:
    """Create missing next reviews and close those of children who left care (idempotent)."""
    created = reviews_sync_next()
    logger.info("next reviews created: %s", created)
    return created
