"""What every national-return export shares: its registry entry, the file it produces, who
may export, and the log of every export (SECURITY.md: exports are logged; T1, T3).

An export is a function ``(year, user, file_format) -> ExportFile``. It reads children only
through ``children.selectors.children_visible_to(user)``, so a restricted child appears in
a file only for the people on its allow-list.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.policy import Action, may
from people.models import User
from reporting.models import ExportRecord

FORMAT_LABELS = {
    "zip": "ZIP of CSV files",
    "csv": "CSV",
    "xlsx": "Excel workbook (XLSX)",
    "xml": "XML",
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes
    rows: int


@dataclass(frozen=True)
class Export:
    """One registered export: ``produce(year, user, file_format)`` returns the file."""

    name: str
    label: str
    formats: tuple[str, ...]
    produce: Callable[[int, User, str], ExportFile]
    description: str = ""


def can_export(user: User) -> bool:
    """The people who produce national returns and lists for inspection
    (``Action.RETURNS_EXPORT``). Returns carry case content, which performance and system
    administrators never see (SECURITY.md access model): the IRO service manager, who sees
    every child not restricted, exports them."""
    return user.is_authenticated and may(user.roles, Action.RETURNS_EXPORT)


def export_record(
    *, by: User, export: str, year: int | None, file_format: str, rows: int
) -> ExportRecord:
    """Log one export: who, which, which year, which format, how many rows (when: now)."""
    return ExportRecord.objects.create(
        by=by, export=export, year=year, file_format=file_format, rows=rows
    )


@transaction.atomic
def export_run(*, export: Export, year: int, file_format: str, by: User) -> ExportFile:
    """Produce an export for ``by`` and log it in the same transaction."""
    if not can_export(by):
        raise NotPermitted("You cannot export national returns.")
    if file_format not in export.formats:
        raise RuleViolation("Choose one of the formats this export offers.", field="export")
    produced = export.produce(year, by, file_format)
    export_record(by=by, export=export.name, year=year, file_format=file_format, rows=produced.rows)
    return produced
