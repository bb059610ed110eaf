"""Nightly: recompute every child's retention end, for rows written in bulk outside the
services (the children, care and plans of national return imports; an import recomputes at
once the children whose date of birth it sets or changes). Idempotent; a missed night is
caught up by the next."""

import logging

from celery import shared_task

from retention.services import retention_recompute

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def recompute_retention() -> int:
    computed = retention_recompute()
    logger.info("retention ends recomputed: %s", computed)
    return computed
