"""Strategy discussion dates for imported section 47 enquiries (issue 9): ``manage.py
import_cin --strategy-discussions FILE`` and the upload page's "strategy" kind.

The CIN census carries no strategy discussion date, yet CP-1 (the ICPC within 15 WD of the
strategy discussion) runs from it. A CSV with the columns ``CHILD,S47_START,STRATEGY_DATE,
ICPC_DATE`` (dates yyyy-mm-dd) attaches each date to its enquiry, matched on the child and
the s47 start date; the enquiry's ICPC due date and its imported initial conference's clock
are recomputed by the clock engine. ``ICPC_DATE``, when given, must be the enquiry's ICPC
date: a check that the row belongs to that enquiry. Every bad row is reported; all or
nothing.
"""

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from children.models import S47Enquiry
from conferences.models import Conference
from iro_service.core.models import RecordSource
from people.models import User
from reporting.imports.base import ImportFailed, Progress, RowError, Summary, no_progress
from reporting.imports.cin_read import DATE_PATTERN
from timescales.sequences import icpc_due
from timescales.services import rule_books, working_calendar

COLUMNS = ("CHILD", "S47_START", "STRATEGY_DATE", "ICPC_DATE")
REASON = "Strategy discussion dates import"


@dataclass(frozen=True)
class StrategyRow:
    line: int
    child: str
    s47_start: date
    strategy: date
    icpc: date | None


class _Rows:
    """The file's rows as values, with a located error for each bad cell or row."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[RowError] = []

    def error(self, line: int | None, column: str, rule: str, message: str) -> None:
        self.errors.append(RowError(self.file, line, column, rule, message))

    def day(self, line: int, column: str, value: str, *, required: bool) -> date | None:
        if not value:
            if required:
                self.error(line, column, "APP-STRAT-REQUIRED", f"{column} is blank.")
            return None
        try:
            if DATE_PATTERN.match(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.error(line, column, "APP-STRAT-DATE", f"'{value}' is not a date: use yyyy-mm-dd.")
        return None

    def read(self, data: bytes) -> list[StrategyRow]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.error(None, "", "APP-STRAT-FILE", "The file is not UTF-8: save it as UTF-8 CSV.")
            return []
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [name.strip().upper() for name in next(reader, [])]
        if sorted(header) != sorted(COLUMNS):
            self.error(1, "", "APP-STRAT-HEADER", f"The columns must be {','.join(COLUMNS)}.")
            return []
        rows, seen = [], {}
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
            row = self._row(line, values)
            if row is None:
                continue
            key = (row.child, row.s47_start)
            if key in seen:
                self.error(
                    line,
                    "S47_START",
                    "APP-STRAT-DUPLICATE",
                    f"Child {row.child}: this enquiry is also on line {seen[key]}.",
                )
            seen.setdefault(key, line)
            rows.append(row)
        return rows

    def _row(self, line: int, values: dict[str, str]) -> StrategyRow | None:
        child = values.get("CHILD", "")
        if not child:
            self.error(line, "CHILD", "APP-STRAT-REQUIRED", "CHILD is blank.")
        s47_start = self.day(line, "S47_START", values.get("S47_START", ""), required=True)
        strategy = self.day(line, "STRATEGY_DATE", values.get("STRATEGY_DATE", ""), required=True)
        icpc = self.day(line, "ICPC_DATE", values.get("ICPC_DATE", ""), required=False)
        if not child or s47_start is None or strategy is None:
            return None
        if strategy > s47_start:
            self.error(
                line,
                "STRATEGY_DATE",
                "APP-STRAT-ORDER",
                f"Child {child}: the strategy discussion must be on or before the s47 start.",
            )
        if icpc is not None and icpc < strategy:
            self.error(
                line,
                "ICPC_DATE",
                "APP-STRAT-ORDER",
                f"Child {child}: the ICPC cannot be before the strategy discussion.",
            )
        return StrategyRow(line, child, s47_start, strategy, icpc)


def _match(rows: list[StrategyRow], file: _Rows) -> list[tuple[StrategyRow, S47Enquiry]]:
    """Each row's enquiry, locked; an error for each row with none or another ICPC date."""
    enquiries = {
        (enquiry.child.la_child_id, enquiry.start_date): enquiry
        for enquiry in S47Enquiry.objects.select_for_update(of=("self",))
        .select_related("child")
        .filter(child__la_child_id__in={row.child for row in rows})
    }
    matched = []
    for row in rows:
        enquiry = enquiries.get((row.child, row.s47_start))
        if enquiry is None:
            file.error(
                row.line,
                "S47_START",
                "APP-STRAT-UNMATCHED",
                f"Child {row.child}: no section 47 enquiry starting {row.s47_start:%d/%m/%Y}.",
            )
        elif row.icpc is not None and row.icpc != enquiry.icpc_date:
            held = f"{enquiry.icpc_date:%d/%m/%Y}" if enquiry.icpc_date else "none yet"
            file.error(
                row.line,
                "ICPC_DATE",
                "APP-STRAT-ICPC",
                f"Child {row.child}: the enquiry's ICPC date is {held}, not {row.icpc:%d/%m/%Y}.",
            )
        else:
            matched.append((row, enquiry))
    return matched


def import_strategy_discussions(
    files: Mapping[str, bytes],
    *,
    year: int | None = None,
    by: User | None = None,
    progress: Progress = no_progress,
) -> Summary:
    """Attach strategy discussion dates (CP-1's clock start) to their s47 enquiries. The
    file carries no collection year, so ``year`` is not used."""
    if len(files) != 1:
        raise ImportFailed([RowError("", None, "", "APP-STRAT-FILE", "Choose one CSV file.")])
    ((name, data),) = files.items()
    file = _Rows(name)
    rows = file.read(data)
    if file.errors:
        raise ImportFailed(file.errors)
    with transaction.atomic():
        matched = _match(rows, file)
        if file.errors:
            raise ImportFailed(file.errors)
        books, calendar = rule_books(), working_calendar()
        changed = []
        for done, (row, enquiry) in enumerate(matched, start=1):
            if enquiry.strategy_discussion_date != row.strategy:
                enquiry.strategy_discussion_date = row.strategy
                enquiry.icpc_due = icpc_due(
                    strategy_discussion=row.strategy, rules=books(row.strategy), calendar=calendar
                ).due
                changed.append(enquiry)
            progress(done, len(matched))
        bulk_update_with_history(
            changed,
            S47Enquiry,
            ["strategy_discussion_date", "icpc_due"],
            batch_size=1000,
            default_user=by,
            default_change_reason=REASON,
        )
        conferences = _reclock_imported_icpcs(changed, by)
    return {
        "s47_enquiries": {"added": 0, "updated": len(changed)},
        "icpcs": {"added": 0, "updated": conferences},
    }


def _reclock_imported_icpcs(enquiries: list[S47Enquiry], by: User | None) -> int:
    """An imported ICPC's CP-1 clock follows its enquiry's new strategy discussion date.
    A conference recorded in the service already started from the date entered with it."""
    by_pk = {enquiry.pk: enquiry for enquiry in enquiries}
    conferences = list(
        Conference.objects.filter(
            s47_enquiry_id__in=by_pk,
            source=RecordSource.IMPORTED,
            conference_type__in=Conference.INITIAL_TYPES,
        )
    )
    for conference in conferences:
        enquiry = by_pk[conference.s47_enquiry_id]
        conference.clock_start = enquiry.icpc_clock_start
        conference.original_due_date = enquiry.icpc_due
    bulk_update_with_history(
        conferences,
        Conference,
        ["clock_start", "original_due_date"],
        batch_size=1000,
        default_user=by,
        default_change_reason=REASON,
    )
    return len(conferences)
