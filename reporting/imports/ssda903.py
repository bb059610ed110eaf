"""The SSDA903 importer (issue 9, DATA-FORMATS.md 5.1): a year's Header, Episodes and Reviews
CSV files, recognised by their columns, validated whole (every problem reported with file,
line, column and rule), then written all or nothing in one transaction.

Progress counts each row twice: once read and checked, once written.
"""

import re
from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils import timezone

from people.models import User
from reporting import ssda903
from reporting.imports.base import ImportFailed, Progress, RowError, Summary, no_progress
from reporting.imports.ssda903_read import (
    Return,
    check_births,
    check_return,
    read_episodes,
    read_header,
    read_reviews,
    read_tables,
)
from reporting.imports.ssda903_write import held_state, write_return

NAMED_YEAR = re.compile(r"SSDA903_(\d{4})_", re.IGNORECASE)
FIRST_YEAR = 2012  # the earliest year the code lists (and the bank holidays) cover


def import_ssda903(
    files: Mapping[str, bytes],
    *,
    year: int | None,
    by: User | None,
    progress: Progress = no_progress,
) -> Summary:
    """Import one collection year's 903 return (``year`` = the year it starts)."""
    if year is None or year < FIRST_YEAR:
        message = f"Choose the collection year (2019 for 2019-20), from {FIRST_YEAR} on."
        raise ImportFailed([RowError("", None, "", "APP-YEAR", message)])
    errors = _named_for_another_year(files, year)
    tables = read_tables(files, errors)
    if errors:
        raise ImportFailed(errors)
    data = Return(year=year, names={table: name for table, (name, _) in tables.items()})
    total = 2 * sum(len(rows) for _, rows in tables.values())
    advance = _counter(progress, total)
    readers: dict[str, Callable] = {
        ssda903.HEADER: lambda name, rows: read_header(year, name, rows, errors),
        ssda903.EPISODES: lambda name, rows: read_episodes(
            year, name, rows, errors, data.incomplete
        ),
        ssda903.REVIEWS: lambda name, rows: read_reviews(name, rows, errors),
    }
    data.listed = {raw["CHILD"] for _, raw in tables[ssda903.HEADER][1]}
    for table, (name, rows) in tables.items():
        setattr(data, table, readers[table](name, rows))
        advance(len(rows) // 2)
    with transaction.atomic():
        state = held_state(row.child for row in data.header)
        check_births(data, state.held_births(data.header), errors, timezone.localdate())
        periods = check_return(data, state.held_episodes(), errors, lambda n: advance(n // 2))
        if errors:
            raise ImportFailed(sorted(errors, key=_position))
        summary = write_return(data, periods, state, by=by, advance=advance)
    progress(total, total)
    return summary


def _named_for_another_year(files: Mapping[str, bytes], year: int) -> list[RowError]:
    """DATA-FORMATS.md 5.1.1: a file named as this app (and D2I) name them,
    ``SSDA903_<year the collection ends>_<table>.csv``, must be of the year chosen."""
    errors = []
    for name in files:
        match = NAMED_YEAR.search(name)
        if match and int(match.group(1)) != year + 1:
            message = (
                f"The file name says the return ending in {match.group(1)}, but the year chosen "
                f"is {ssda903.year_label(year)} (files named SSDA903_{year + 1}_...)."
            )
            errors.append(RowError(name, None, "", "APP-YEAR", message))
    return errors


def _counter(progress: Progress, total: int) -> Callable[[int], None]:
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done = min(done + rows, total)
        progress(done, total)

    return advance


def _position(error: RowError) -> tuple[str, int]:
    return (error.file, error.row or 0)
