"""The SSDA903 export for a collection year (DATA-FORMATS.md 5.2.1): Header, Episodes and
Reviews CSV files with the return's header lines byte for byte, UTF-8 without a BOM, CRLF
line ends, dates dd/mm/yyyy, in one ZIP.

Which rows belong to the year: every episode open at any time in it (DECOM on or before
31 March, and no DEC or a DEC on or after 1 April); the Header has the children of those
episodes; Reviews has the reviews held in the year of those children (held reviews only;
adjourned and cancelled meetings were not reviews). Only children the user may see
(``children_visible_to``), so a restricted child is in the file only for its allow-list.

The service does not keep MOTHER or MC_DOB, so both are left blank.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import Q

from children.models import Episode
from children.selectors import children_visible_to
from people.models import User
from reporting import ssda903
from reporting.exports.base import Export, ExportFile
from reviews import workflow
from reviews.models import Review

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same data always gives the same bytes


def ssda903_tables(year: int, user: User) -> dict[str, list[tuple[str, ...]]]:
    """The rows of each table (without the header line), in CHILD then date order."""
    start, end = ssda903.year_start(year), ssda903.year_end(year)
    visible = children_visible_to(user)
    episodes = list(
        Episode.objects.filter(period__child__in=visible, decom__lte=end)
        .filter(Q(dec__isnull=True) | Q(dec__gte=start))
        .order_by("period__child__la_child_id", "decom")
        .values_list(
            "period__child_id",
            "period__child__la_child_id",
            "decom",
            "rne",
            "ls",
            "cin",
            "place",
            "place_provider",
            "dec",
            "rec",
            "reason_place_change",
            "home_post",
            "pl_post",
            "urn",
        )
    )
    child_pks = {row[0] for row in episodes}
    children = list(
        visible.filter(pk__in=child_pks)
        .order_by("la_child_id")
        .values_list("la_child_id", "sex", "date_of_birth", "ethnicity", "upn")
    )
    reviews = (
        Review.objects.filter(
            child_id__in=child_pks, status=workflow.HELD, held_date__range=(start, end)
        )
        .order_by("child__la_child_id", "held_date")
        .values_list(
            "child__la_child_id", "child__date_of_birth", "held_date", "participation_code"
        )
    )
    date = ssda903.format_date
    return {
        ssda903.HEADER: [
            (la_id, ssda903.sex_for_return(sex, year), date(dob), ethnic, upn, "", "")
            for la_id, sex, dob, ethnic, upn in children
        ],
        ssda903.EPISODES: [_episode_row(row, end) for row in episodes],
        ssda903.REVIEWS: [
            (la_id, date(dob), date(held), code) for la_id, dob, held, code in reviews
        ],
    }


def _episode_row(row: tuple, end: date) -> tuple[str, ...]:
    """An episode still open at the year's end is open in that year's return: its later end
    (DEC, REC, REASON_PLACE_CHANGE) belongs to the return of the year it ended in (903 385)."""
    ended = row[8] is not None and row[8] <= end
    dec, rec, reason = (row[8], row[9], row[10]) if ended else (None, "", "")
    formatted = ssda903.format_date
    return (row[1], formatted(row[2]), *row[3:8], formatted(dec), rec, reason, *row[11:])


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8, no BOM, CRLF, the header line exactly the column names joined by commas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def ssda903_files(year: int, user: User) -> dict[str, bytes]:
    """The return's files by name (``SSDA903_<end year>_<table>.csv``)."""
    return {
        ssda903.file_name(year, table): csv_bytes(ssda903.COLUMNS[table], rows)
        for table, rows in ssda903_tables(year, user).items()
    }


def export_ssda903(year: int, user: User, file_format: str) -> ExportFile:
    tables = ssda903_tables(year, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            info = zipfile.ZipInfo(ssda903.file_name(year, table), date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(ssda903.COLUMNS[table], rows))
    return ExportFile(
        filename=f"SSDA903_{year + 1}.zip",
        content_type="application/zip",
        content=buffer.getvalue(),
        rows=sum(len(rows) for rows in tables.values()),
    )


SSDA903_EXPORT = Export(
    name="ssda903",
    label="SSDA903 children looked after return: Header, Episodes and Reviews",
    formats=("zip",),
    produce=export_ssda903,
    description=(
        "Children looked after at any time in the year, their episodes open in the year and "
        "the reviews held in it, as three CSV files in a ZIP."
    ),
)
