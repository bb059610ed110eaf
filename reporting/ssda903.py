"""The SSDA903 CSV format as data: the tables and their column lists, dates, the collection
year, the SEX codes of each year and the file names (DATA-FORMATS.md section 1 and 5).

A collection year is named by the year it starts (2024 = 2024-25, 1 April 2024 to
31 March 2025); file names carry the year it ends (``SSDA903_2025_episodes.csv``).
"""

import re
from datetime import date
from functools import lru_cache

HEADER = "header"
EPISODES = "episodes"
REVIEWS = "reviews"

# Column order as the return lists them (DATA-FORMATS.md 1.3-1.5); the header line written
# is exactly these names joined by commas.
COLUMNS: dict[str, tuple[str, ...]] = {
    HEADER: ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    EPISODES: (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    REVIEWS: ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
}
TABLE_LABELS = {HEADER: "Header", EPISODES: "Episodes", REVIEWS: "Reviews"}

# 903 SEX: 1/2 up to 2023-24, M/F/U from 2024-25 (rule 101); the child record holds M/F/U.
# The record's "not known" has no code before 2024-25, so U is written and read in every year.
SEX_CODES_FROM = 2024
SEX_TO_RECORD = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
_SEX_BEFORE = {"M": "1", "F": "2", "U": "U"}

EARLIEST_DECOM = date(1991, 10, 14)  # rule 353: the Children Act 1989 came into force
_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def year_start(year: int) -> date:
    return date(year, 4, 1)


def year_end(year: int) -> date:
    return date(year + 1, 3, 31)


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def file_name(year: int, table: str) -> str:
    """``SSDA903_<year the collection ends>_<table>.csv`` (DATA-FORMATS.md 1.1)."""
    return f"SSDA903_{year + 1}_{table}.csv"


def sex_codes(year: int) -> frozenset[str]:
    """The SEX codes the return of ``year`` accepts (rule 101, with U in every year)."""
    return frozenset({"M", "F", "U"} if year >= SEX_CODES_FROM else {"1", "2", "U"})


def sex_for_return(sex: str, year: int) -> str:
    return sex if year >= SEX_CODES_FROM else _SEX_BEFORE.get(sex, "U")


def format_date(day: date | None) -> str:
    """dd/mm/yyyy, zero-padded; blank for no date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if day is not None else ""


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date | None:
    """A dd/mm/yyyy date, or None when it is not one (wrong shape or not a real day).
    Cached: a return repeats the same dates many times."""
    if not _DATE.match(text):
        return None
    try:
        return date(int(text[6:10]), int(text[3:5]), int(text[0:2]))
    except ValueError:
        return None
