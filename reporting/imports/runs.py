"""Import runs: an upload is stored, a Celery task (the run's id only) runs its importer,
and the progress page reads the run row (DATA-FORMATS.md 5.1).

The uploaded files hold children's details, so they live in the database only until the run
ends, whatever the outcome. Progress is saved at most about once a second: from inside the
importer's transaction it goes through a second connection, so the page sees it while the
rows are still being written.
"""

import logging
import time
from collections.abc import Mapping

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import Http404
from django.utils import timezone

from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.policy import Action, may
from people.models import User
from reminders.enqueue import enqueue_on_commit
from reporting.imports import IMPORTERS
from reporting.imports.base import ImportFailed, RowError
from reporting.models import ImportFile, ImportRun

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 1.0
PROGRESS_ROWS = 5000


def can_import(user: User) -> bool:
    """Who may load national returns into the service (they write case records for every
    child): ``Action.RETURNS_IMPORT``."""
    return user.is_authenticated and may(user.roles, Action.RETURNS_IMPORT)


@transaction.atomic
def import_run_start(
    *, kind: str, year: int | None, files: Mapping[str, bytes], by: User
) -> ImportRun:
    """Store the uploaded files and queue the import; the task gets the run's id only."""
    if not can_import(by):
        raise NotPermitted("Only an administrator or the IRO service manager can import returns.")
    if kind not in IMPORTERS:
        raise RuleViolation("Choose what kind of file you are importing.", field="kind")
    if not files:
        raise RuleViolation("Choose the files to import.", field="files")
    run = ImportRun.objects.create(kind=kind, year=year, started_by=by)
    ImportFile.objects.bulk_create(
        [ImportFile(run=run, name=name, content=content) for name, content in files.items()]
    )
    from reporting.tasks import run_import

    enqueue_on_commit(run_import, run.pk)
    logger.info("import run %s queued (%s, %s)", run.pk, kind, year)
    return run


def import_run_get_for_user(*, user: User, pk: int) -> ImportRun:
    """A run, for the people who may import (the errors name child IDs); else 404."""
    run = ImportRun.objects.filter(pk=pk).first() if can_import(user) else None
    if run is None:
        raise Http404("No such import")
    return run


def import_runs_recent(*, user: User, limit: int = 20) -> list[ImportRun]:
    if not can_import(user):
        return []
    return list(ImportRun.objects.select_related("started_by")[:limit])


class _ProgressSaver:
    """The progress callback of one run: saves rows done and total at most every
    ``PROGRESS_SECONDS`` or ``PROGRESS_ROWS`` rows, and always the last call."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.saved_at = 0.0
        self.saved_rows = 0
        self.last = (0, 0)
        self.side = None

    def __call__(self, done: int, total: int) -> None:
        self.last = (done, total)
        now = time.monotonic()
        due = now - self.saved_at >= PROGRESS_SECONDS or done - self.saved_rows >= PROGRESS_ROWS
        if not due and done < total:
            return
        self.saved_at, self.saved_rows = now, done
        self._save(done, total)

    def _save(self, done: int, total: int) -> None:
        if connection.in_atomic_block and connection.vendor == "postgresql":
            # Seen by the progress page before the import's transaction commits.
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE reporting_importrun SET rows_done = %s, rows_total = %s WHERE id = %s",
                    [done, total, self.run_id],
                )
        else:
            ImportRun.objects.filter(pk=self.run_id).update(rows_done=done, rows_total=total)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _claim(run_id: int) -> bool:
    """Queued -> running with a conditional update, so a redelivered task does nothing."""
    return bool(
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
            status=ImportRun.Status.RUNNING
        )
    )


def import_run_execute(run_id: int) -> ImportRun | None:
    """Run a queued import: its importer validates everything and writes all or nothing.
    Records the summary or every error, and deletes the uploaded files. Idempotent: a run
    that is no longer queued is left alone (returns None)."""
    if not _claim(run_id):
        return None
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    files = {f.name: bytes(f.content) for f in run.files.order_by("pk")}
    progress = _ProgressSaver(run_id)
    try:
        summary = IMPORTERS[run.kind](files, year=run.year, by=run.started_by, progress=progress)
    except ImportFailed as failure:
        _finish(
            run, progress, ImportRun.Status.FAILED, errors=[e.as_dict() for e in failure.errors]
        )
    except Exception:
        logger.exception("import run %s stopped by an unexpected error", run_id)
        error = RowError("", None, "", "APP-ERROR", UNEXPECTED)
        _finish(run, progress, ImportRun.Status.FAILED, errors=[error.as_dict()])
    else:
        _finish(run, progress, ImportRun.Status.SUCCEEDED, summary=summary)
    finally:
        progress.close()
        ImportFile.objects.filter(run_id=run_id).delete()
    logger.info("import run %s %s", run_id, run.status)
    return run


UNEXPECTED = (
    "The import stopped because of an unexpected error, so nothing was imported. "
    "Try again; if it happens again, tell the service desk the import number."
)


def _finish(
    run: ImportRun,
    progress: _ProgressSaver,
    status: str,
    *,
    summary: dict | None = None,
    errors: list[dict] | None = None,
) -> None:
    run.status, run.finished_at = status, timezone.now()
    run.summary, run.errors = summary or {}, errors or []
    run.rows_done, run.rows_total = progress.last
    fields = ["status", "finished_at", "summary", "errors", "rows_done", "rows_total"]
    run.save(update_fields=fields)
