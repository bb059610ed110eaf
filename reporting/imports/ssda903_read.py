"""Reading and validating an SSDA903 return (DATA-FORMATS.md 1 and 5.1): every file is
recognised by its header set, every row checked by the national rules of
``children.rules`` (rule ids ``903-<n>``) and the app's own (``APP-...``), and every problem
collected with its file, line and column before anything is written.

Lines are physical lines of the file, the header being line 1.
"""

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise

from children import codes
from children.rules import (
    EpisodeValues,
    Problem,
    check_birth,
    check_born_before_death,
    check_episode_codes,
    check_episode_dates,
    check_episode_sequence,
    check_participation_code,
    check_upn,
)
from reporting import ssda903
from reporting.imports.base import HELD_UNBORN, RowError

CHILD_ID = re.compile(r"^[A-Za-z0-9]{1,20}$")
POSTCODE_MAX, URN_MAX = 8, 8
_COLUMN_OF_FIELD = {"participation": "REVIEW_CODE"}
_TABLE_OF_COLUMNS = {frozenset(columns): table for table, columns in ssda903.COLUMNS.items()}


@dataclass(frozen=True)
class HeaderRow:
    line: int
    child: str
    sex: str  # as the child record holds it: M, F or U
    dob: date
    ethnic: str
    upn: str


@dataclass(frozen=True)
class EpisodeRow:
    line: int
    child: str
    values: EpisodeValues
    home_post: str
    pl_post: str
    urn: str


@dataclass(frozen=True)
class ReviewRow:
    line: int
    child: str
    dob: date
    held: date
    code: str


@dataclass(frozen=True)
class HeldEpisode:
    """An episode the service already holds: its values and its row id."""

    pk: int
    values: EpisodeValues


@dataclass(frozen=True)
class HeldBirth:
    """What the service holds of the birth and death of a child whose date of birth the
    return changes."""

    date_of_birth: date | None
    expected_date_of_birth: date | None
    date_of_death: date | None


@dataclass
class Return:
    """A whole return, read and valid: rows by table, and each table's file name."""

    year: int
    names: dict[str, str]
    # Every CHILD of the Header file, valid row or not: rows of other files for a child
    # whose Header row has a problem are not reported again as "not in the Header".
    listed: set[str] = field(default_factory=set)
    # Children with an episode row that could not be read: their sequence and their reviews'
    # periods are not judged, so one bad cell is reported once, not again on every row after.
    incomplete: set[str] = field(default_factory=set)
    header: list[HeaderRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.header) + len(self.episodes) + len(self.reviews)


@dataclass(frozen=True)
class Period:
    """A period of care derived from a child's episodes in start order (DATA-FORMATS.md
    1.8: episodes joined by X1 from an RNE = S)."""

    start: date
    end: date | None
    decoms: tuple[date, ...]

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def derive_periods(episodes: Sequence[EpisodeValues]) -> list[Period]:
    """Periods of care from one child's episodes sorted by DECOM. The first episode held
    starts a period even without RNE = S: its period began before the returns we hold."""
    periods: list[Period] = []
    current: list[EpisodeValues] = []
    for episode in episodes:
        if current and (episode.rne == "S" or current[-1].rec not in ("X1", "")):
            periods.append(_period(current))
            current = []
        current.append(episode)
    if current:
        periods.append(_period(current))
    return periods


def _period(episodes: list[EpisodeValues]) -> Period:
    last = episodes[-1]
    end = last.dec if last.dec is not None and last.rec != "X1" else None
    return Period(episodes[0].decom, end, tuple(e.decom for e in episodes))


# Files ---------------------------------------------------------------------------------


Rows = list[tuple[int, dict[str, str]]]


def read_tables(files: Mapping[str, bytes], errors: list[RowError]) -> dict[str, tuple[str, Rows]]:
    """Each file's table (by its set of column names, whatever its name) and its rows."""
    tables: dict[str, tuple[str, Rows]] = {}
    for name, content in files.items():
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            errors.append(
                RowError(
                    name, None, "", "APP-ENCODING", "Save the file as CSV UTF-8 and try again."
                )
            )
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        columns = tuple(cell.strip() for cell in next(reader, []))
        table = _TABLE_OF_COLUMNS.get(frozenset(columns))
        if table is None or len(set(columns)) != len(columns):
            errors.append(RowError(name, 1, "", "APP-TABLE", _not_a_table(columns)))
            continue
        if table in tables:
            message = f"There is already a {ssda903.TABLE_LABELS[table]} file ({tables[table][0]})."
            errors.append(RowError(name, 1, "", "APP-TABLE", message))
            continue
        tables[table] = (name, _rows(name, reader, columns, errors))
    for table in (ssda903.HEADER, ssda903.EPISODES):
        if table not in tables and not errors:
            label = ssda903.TABLE_LABELS[table]
            message = f"Add the {label} file: {','.join(ssda903.COLUMNS[table])}."
            errors.append(RowError("", None, "", "APP-TABLE", message))
    return tables


def _not_a_table(columns: tuple[str, ...]) -> str:
    expected = "; ".join(
        f"{ssda903.TABLE_LABELS[t]}: {','.join(c)}" for t, c in ssda903.COLUMNS.items()
    )
    return (
        f"The columns ({','.join(columns) or 'none'}) are not those of a 903 Header, Episodes "
        f"or Reviews file. Expected exactly one of these sets of columns, in any order: {expected}."
    )


def _rows(
    name: str, reader: "csv._reader", columns: tuple[str, ...], errors: list[RowError]
) -> Rows:
    rows: Rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            message = f"This row has {len(cells)} values; the file has {len(columns)} columns."
            errors.append(RowError(name, reader.line_num, "", "APP-CELLS", message))
            continue
        rows.append((reader.line_num, dict(zip(columns, map(str.strip, cells), strict=True))))
    return rows


# Fields --------------------------------------------------------------------------------


class _Cells:
    """One row's cells, read one column at a time; each problem is recorded as it is found."""

    def __init__(self, file: str, line: int, raw: dict[str, str], errors: list[RowError]) -> None:
        self.file, self.line, self.raw, self.errors = file, line, raw, errors
        self.ok = True

    def error(self, column: str, rule: str, message: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.file, self.line, column, rule, message))

    def code(self, column: str) -> str:
        return self.raw[column].upper()

    def date(self, column: str, rule: str, *, required: bool = True) -> date | None:
        text = self.raw[column]
        if not text:
            if required:
                self.error(column, rule, f"Enter {column} as a date like 31/03/2025.")
            return None
        day = ssda903.parse_date(text)
        if day is None:
            self.error(
                column, rule, f"'{text}' is not a date: write it as dd/mm/yyyy, like 31/03/2025."
            )
        return day

    def child(self) -> str:
        child = self.raw["CHILD"]
        if not CHILD_ID.match(child):
            self.error("CHILD", "APP-CHILD", "The child's ID must be 1 to 20 letters or digits.")
        return child

    def problems(self, problems: Sequence[Problem], prefix: str = "") -> None:
        for problem in problems:
            column = _COLUMN_OF_FIELD.get(problem.field, problem.field.upper())
            self.error(column, f"903-{problem.rule}", prefix + problem.message)


def read_header(year: int, name: str, rows: Rows, errors: list[RowError]) -> list[HeaderRow]:
    """Header fields: rules 101, 102, 103, 168, 301 (MOTHER and MC_DOB are checked for shape
    only: the service does not keep them)."""
    valid_sex = ssda903.sex_codes(year)
    out = []
    for line, raw in rows:
        cells = _Cells(name, line, raw, errors)
        child = cells.child()
        sex = cells.code("SEX")
        if sex not in valid_sex:
            cells.error(
                "SEX",
                "903-101",
                f"SEX must be {', '.join(sorted(valid_sex))} in {ssda903.year_label(year)}.",
            )
        dob = cells.date("DOB", "903-102")
        if dob is not None and dob > ssda903.year_end(year):
            cells.error(
                "DOB", "903-301", "The date of birth is after the end of the collection year."
            )
        ethnic = cells.code("ETHNIC")
        if ethnic not in codes.ETHNICITY:
            cells.error("ETHNIC", "903-103", f"'{ethnic}' is not an ethnicity code.")
        upn = cells.code("UPN")
        if not upn:
            cells.error("UPN", "903-168", "Enter the UPN, or UN1 to UN5 if it is not known.")
        cells.problems(check_upn(upn))
        if cells.code("MOTHER") not in ("", "0", "1"):
            cells.error("MOTHER", "APP-CODE", "MOTHER must be 1, 0 or blank.")
        cells.date("MC_DOB", "APP-DATE", required=False)
        if cells.ok:
            out.append(HeaderRow(line, child, ssda903.SEX_TO_RECORD[sex], dob, ethnic, upn))  # type: ignore[arg-type]
    return out


def read_episodes(
    year: int, name: str, rows: Rows, errors: list[RowError], incomplete: set[str]
) -> list[EpisodeRow]:
    """Episode fields: rules 141, 143-149, 213, 353, 354, 385, 526 and the lengths the
    service stores."""
    out = []
    for line, raw in rows:
        cells = _Cells(name, line, raw, errors)
        child = cells.child()
        decom = cells.date("DECOM", "903-141")
        dec = cells.date("DEC", "903-147", required=False)
        reason = cells.code("REASON_PLACE_CHANGE")
        if reason and reason not in codes.REASON_PLACE_CHANGE:
            cells.error(
                "REASON_PLACE_CHANGE",
                "APP-CODE",
                f"'{reason}' is not a reason for a placement change.",
            )
        for column, limit in (
            ("HOME_POST", POSTCODE_MAX),
            ("PL_POST", POSTCODE_MAX),
            ("URN", URN_MAX),
        ):
            if len(raw[column]) > limit:
                cells.error(column, "APP-LENGTH", f"{column} can be at most {limit} characters.")
        if decom is None:
            incomplete.add(child)
            continue
        if decom < ssda903.EARLIEST_DECOM:
            cells.error("DECOM", "903-353", "No episode can start before 14/10/1991.")
        if decom > ssda903.year_end(year):
            cells.error(
                "DECOM", "903-354", "The episode starts after the end of the collection year."
            )
        if dec is not None and dec > ssda903.year_end(year):
            cells.error("DEC", "903-385", "The episode ends after the end of the collection year.")
        values = EpisodeValues(
            decom=decom,
            rne=cells.code("RNE"),
            ls=cells.code("LS"),
            cin=cells.code("CIN"),
            place=cells.code("PLACE"),
            place_provider=cells.code("PLACE_PROVIDER"),
            dec=dec,
            rec=cells.code("REC"),
            reason_place_change=reason,
        )
        cells.problems(check_episode_codes(values))
        if not cells.ok:
            incomplete.add(child)
        else:
            out.append(
                EpisodeRow(
                    line,
                    child,
                    values,
                    raw["HOME_POST"].upper(),
                    raw["PL_POST"].upper(),
                    raw["URN"].upper(),
                )
            )
    return out


def read_reviews(name: str, rows: Rows, errors: list[RowError]) -> list[ReviewRow]:
    """Review fields: rule 166 (the code is checked against the child's age later)."""
    out = []
    for line, raw in rows:
        cells = _Cells(name, line, raw, errors)
        child = cells.child()
        dob = cells.date("DOB", "APP-DATE")
        held = cells.date("REVIEW", "903-166")
        if cells.ok:
            out.append(ReviewRow(line, child, dob, held, cells.code("REVIEW_CODE")))  # type: ignore[arg-type]
    return out


# Across rows and files -----------------------------------------------------------------


def check_return(
    data: Return,
    held: Mapping[str, list[HeldEpisode]],
    errors: list[RowError],
    progress: Callable[[int], None],
) -> dict[str, list[Period]]:
    """Rules between rows and files: INT03, INT08, INT17, INT32, 302, 355, 356, the episode
    sequence (142, 357, 388, 431-433, 501, 504) over the episodes held and those in the
    file, and each review's participation code (167, 440, 441) and period of care.
    ``held`` is the service's episodes by child ID. Returns every file child's periods."""
    header = _unique_header(data, errors)
    episodes = _episodes_by_child(data, header, errors)
    periods = {}
    for child, rows in episodes.items():
        if child in data.incomplete:
            continue
        periods[child] = _check_sequence(data, rows, held.get(child, []), errors)
        progress(len(rows))
    for child in header.keys() - episodes.keys():
        periods[child] = derive_periods([h.values for h in held.get(child, [])])
    _check_reviews(data, header, periods, errors)
    progress(len(data.reviews) + len(data.header))
    return periods


def check_births(
    data: Return, held: Mapping[str, HeldBirth], errors: list[RowError], today: date
) -> None:
    """Each date of birth the return sets or changes passes the rules it would by hand:
    for a child the service holds as unborn, those of recording the birth (APP-BIRTH: not
    in the future, near the expected date, ``record_birth``); for a child with a date of
    death, on or before it (APP-BIRTH-DEATH, as a change of details). ``held`` is what
    the service holds of those children, by child ID."""
    name = data.names[ssda903.HEADER]
    for row in data.header:
        child = held.get(row.child)
        if child is None:
            continue
        problems = check_born_before_death(row.dob, child.date_of_death)
        prefix = ""
        if child.date_of_birth is None:
            problems += check_birth(row.dob, expected=child.expected_date_of_birth, today=today)
            prefix = HELD_UNBORN
        for problem in problems:
            errors.append(RowError(name, row.line, "DOB", problem.rule, prefix + problem.message))


def _unique_header(data: Return, errors: list[RowError]) -> dict[str, HeaderRow]:
    header: dict[str, HeaderRow] = {}
    for row in data.header:
        if row.child in header:
            message = (
                f"Child {row.child} is already on line {header[row.child].line}: one row per child."
            )
            errors.append(
                RowError(data.names[ssda903.HEADER], row.line, "CHILD", "903-INT32", message)
            )
        else:
            header[row.child] = row
    return header


def _episodes_by_child(
    data: Return, header: dict[str, HeaderRow], errors: list[RowError]
) -> dict[str, list[EpisodeRow]]:
    name = data.names.get(ssda903.EPISODES, "")
    by_child: dict[str, dict[date, EpisodeRow]] = defaultdict(dict)
    for row in data.episodes:
        child = header.get(row.child)
        if child is None:
            if row.child not in data.listed:
                message = f"Child {row.child} is not in the Header file."
                errors.append(RowError(name, row.line, "CHILD", "903-INT03", message))
            continue
        problems = check_episode_dates(row.values, child.dob)
        if problems:
            cells = _Cells(name, row.line, {}, errors)
            cells.problems(problems)
            data.incomplete.add(row.child)
            continue
        earlier = by_child[row.child].get(row.values.decom)
        if earlier is not None:
            message = f"Another episode of this child starts that day (line {earlier.line})."
            errors.append(RowError(name, row.line, "DECOM", "APP-DUPLICATE", message))
            continue
        by_child[row.child][row.values.decom] = row
    return {
        child: sorted(rows.values(), key=lambda r: r.values.decom)
        for child, rows in by_child.items()
    }


def _check_sequence(
    data: Return, rows: list[EpisodeRow], held: list[HeldEpisode], errors: list[RowError]
) -> list[Period]:
    """The child's episodes held and in the file (the file's version wins for a DECOM both
    have), checked as one sequence; each problem is reported on the file row it concerns."""
    merged: dict[date, tuple[int | None, EpisodeValues]] = {
        h.values.decom: (None, h.values) for h in held
    }
    merged |= {row.values.decom: (row.line, row.values) for row in rows}
    items = [merged[decom] for decom in sorted(merged)]
    cells = _Cells(data.names[ssda903.EPISODES], 0, {}, errors)
    for line, decom, problems in _sequence_problems(items, data.year):
        cells.line = line  # type: ignore[assignment]  # None: an episode held, not in the file
        prefix = "" if line is not None else _held_prefix(decom)
        cells.problems(problems, prefix)
    return derive_periods([values for _, values in items])


def _held_prefix(decom: date) -> str:
    return f"With the episode from {ssda903.format_date(decom)} that the service already holds: "


Found = list[tuple[int | None, date, list[Problem]]]


def _sequence_problems(items: list[tuple[int | None, EpisodeValues]], year: int) -> Found:
    """Problems per episode, from ``children.rules.check_episode_sequence`` applied to one
    step at a time so that each lands on its own row: the first episode alone (357), each
    episode after its predecessor (142, 431-433, 501, 504; the predecessor given RNE = S so
    that its own start is not judged again), and the last episode alone (388). Rule 357
    applies to periods starting in the return's year or later: an earlier first episode
    continues a period whose start is in a return we do not hold."""
    found: Found = []

    def add(line: int | None, values: EpisodeValues, problems: list[Problem]) -> None:
        if problems:
            found.append((line, values.decom, problems))

    first_line, first = items[0]
    if first.decom >= ssda903.year_start(year):
        add(first_line, first, check_episode_sequence([replace(first, rec="")]))
    for (_, previous), (line, episode) in pairwise(items):
        steps = [replace(previous, rne="S"), replace(episode, rec="")]
        add(line, episode, check_episode_sequence(steps))
    last_line, last = items[-1]
    add(last_line, last, check_episode_sequence([replace(last, rne="S")]))
    return found


def _check_reviews(
    data: Return,
    header: dict[str, HeaderRow],
    periods: dict[str, list[Period]],
    errors: list[RowError],
) -> None:
    name = data.names.get(ssda903.REVIEWS, "")
    seen: dict[tuple[str, date], int] = {}
    for row in data.reviews:
        cells = _Cells(name, row.line, {}, errors)
        child = header.get(row.child)
        if child is None:
            if row.child not in data.listed:
                cells.error("CHILD", "903-INT08", f"Child {row.child} is not in the Header file.")
            continue
        if row.dob != child.dob:
            cells.error(
                "DOB",
                "903-INT17",
                f"The date of birth is not the Header's ({ssda903.format_date(child.dob)}).",
            )
        age = (
            row.held.year
            - child.dob.year
            - ((row.held.month, row.held.day) < (child.dob.month, child.dob.day))
        )
        cells.problems(check_participation_code(row.code, age_on_review=age))
        in_care = any(period.holds(row.held) for period in periods.get(row.child, []))
        if not in_care and row.child not in data.incomplete:
            cells.error(
                "REVIEW",
                "APP-NOT-IN-CARE",
                "The child was not looked after on this date: check the date and the episodes.",
            )
        key = (row.child, row.held)
        if key in seen:
            cells.error("REVIEW", "APP-DUPLICATE", f"This review is already on line {seen[key]}.")
        seen.setdefault(key, row.line)
