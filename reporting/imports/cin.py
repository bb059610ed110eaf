"""The CIN census importer (issue 9, DATA-FORMATS.md 2 and 5.1): ``manage.py import_cin
FILE`` and the upload page's "cin" kind.

One XML file; the census year is read from its header (and checked against the year the
user chose, if any). Every problem in every child is reported by file, line, element and
rule before anything is written; then everything is written in one transaction, or nothing.
"""

from collections.abc import Mapping

from django.db import transaction

from people.models import User
from reporting.imports.base import ImportFailed, Progress, RowError, Summary, no_progress
from reporting.imports.cin_read import Reader, read_census
from reporting.imports.cin_rules import check_census
from reporting.imports.cin_write import write_census


def import_cin(
    files: Mapping[str, bytes],
    *,
    year: int | None = None,
    by: User | None = None,
    progress: Progress = no_progress,
) -> Summary:
    """Import one CIN census file: children, s47 enquiries with their ICPC dates, CP plans
    with their review dates. ``year`` (optional) is the year the census starts (2024 for
    the 2024-25 census, ``Year`` 2025 in the file). Raises ``ImportFailed`` with every
    problem; returns the counts added and updated."""
    if len(files) != 1:
        raise ImportFailed(
            [RowError("", None, "", "APP-CIN-FILE", "Choose one CIN census XML file.")]
        )
    ((name, data),) = files.items()
    census, errors = read_census(data, name, year)
    if census is None:
        raise ImportFailed(errors)
    reader = Reader(name)
    reader.errors = errors
    check_census(census, reader)
    if reader.errors:
        raise ImportFailed(reader.errors)
    with transaction.atomic():
        summary = write_census(census, reader, by=by, progress=progress)
        if reader.errors:
            raise ImportFailed(reader.errors)
    return summary
