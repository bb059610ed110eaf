"""Background work for reporting: run an uploaded import (ARCHITECTURE.md: ids only)."""

from celery import shared_task

from reporting.imports.runs import import_run_execute


# A 903 return of a large authority takes well under a minute; the limits leave room for
# a slow shared machine without letting a stuck run hold a worker for ever.
@shared_task(name="reporting.tasks.run_import", time_limit=3600, soft_time_limit=3500)
def run_import(run_id: int) -> str:
    """Run import ``run_id`` if it is still queued; a redelivered message does nothing."""
    run = import_run_execute(run_id)
    return run.status if run is not None else "skipped"
