"""National validation rules for child records, as plain functions over plain values.

Services call these before saving; imports (later) call the same functions on whole files,
so a rule is written once. Each check returns ``Problem``s carrying the rule number of the
DfE validator (DATA-FORMATS.md 1.4, 1.8 and 2.4), or ``APP-...`` for the service's own rules,
and a message that says how to put it right.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from children import codes


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str


@dataclass(frozen=True)
class EpisodeValues:
    """The 903 fields of one episode, as the rules need them."""

    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str = ""
    dec: date | None = None
    rec: str = ""
    reason_place_change: str = ""


# How far a recorded birth may fall from the expected date: a baby born at about 20 weeks'
# gestation is 20 weeks early; an expected date set early in pregnancy can be weeks out.
BIRTH_EARLIEST_BEFORE_EXPECTED = timedelta(weeks=20)
BIRTH_LATEST_AFTER_EXPECTED = timedelta(weeks=6)
UPN_PATTERN = re.compile(r"^[A-HJ-NP-RT-Z]\d{12}$|^[A-HJ-NP-RT-Z]\d{11}[A-Z]$")
PARTICIPATION_CODES = frozenset(f"PN{n}" for n in range(8))


def collection_year(day: date) -> int:
    """The collection year (named by its starting year) that ``day`` falls in: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def check_birth(born: date, *, expected: date | None, today: date) -> list[Problem]:
    """The service's own rule (APP-BIRTH) for the birth of a child known before birth,
    recorded by hand (``record_birth``) or brought by an import: not after ``today``, and
    from 20 weeks before to 6 weeks after the expected date."""
    if born > today:
        return [
            Problem(
                "APP-BIRTH",
                "date_of_birth",
                "The date of birth cannot be in the future: enter the day the child was born.",
            )
        ]
    if expected is None:
        return []
    earliest = expected - BIRTH_EARLIEST_BEFORE_EXPECTED
    latest = expected + BIRTH_LATEST_AFTER_EXPECTED
    if earliest <= born <= latest:
        return []
    return [
        Problem(
            "APP-BIRTH",
            "date_of_birth",
            f"The date of birth must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y} "
            f"({BIRTH_EARLIEST_BEFORE_EXPECTED.days // 7} weeks before to "
            f"{BIRTH_LATEST_AFTER_EXPECTED.days // 7} weeks after the expected date, "
            f"{expected:%-d %B %Y}). "
            "Check the date, or correct the expected date of birth first.",
        )
    ]


def check_born_before_death(born: date, died: date | None) -> list[Problem]:
    """The rule (APP-BIRTH-DEATH) of the constraint ``child_dies_after_birth``, which a
    change of details meets through ``full_clean``: for the imports, which report a date of
    birth after the recorded death on its row rather than fail on the constraint."""
    if died is None or died >= born:
        return []
    return [
        Problem(
            "APP-BIRTH-DEATH",
            "date_of_birth",
            f"The service records this child's death on {died:%-d %B %Y}: the date of birth "
            "must be on or before it. Check the date, or correct the date of death first.",
        )
    ]


def check_upn(upn: str) -> list[Problem]:
    """903 rule 168: 13 characters (a letter other than I, O, S, then 12 digits, or 11
    digits and a letter), or one of the UN1 to UN5 'unknown' codes; blank is allowed here."""
    if not upn or upn in codes.UPN_UNKNOWN or UPN_PATTERN.match(upn):
        return []
    return [
        Problem(
            "168",
            "upn",
            "Enter a UPN of 13 characters (a letter, not I, O or S, then 12 digits, "
            "or 11 digits and a letter), or UN1 to UN5 if it is not known.",
        )
    ]


def check_episode_codes(episode: EpisodeValues) -> list[Problem]:
    """903 rules 143-146, 149, 213 and 526: codes from the lists of the episode's year, and a
    provider for every placement except temporary moves and 'other placement'."""
    problems = []
    year = collection_year(episode.decom)
    lists = [
        ("143", "rne", codes.RNE, "reason for new episode"),
        ("144", "ls", codes.LEGAL_STATUS, "legal status"),
        ("145", "cin", codes.CATEGORY_OF_NEED, "category of need"),
        (
            "146",
            "place",
            codes.place_codes(year),
            f"placement type for {year}-{year % 100 + 1:02d}",
        ),
    ]
    for rule, field, valid, what in lists:
        value = getattr(episode, field)
        if value not in valid:
            problems.append(Problem(rule, field, f"'{value}' is not a valid {what}."))
    if episode.rec and episode.rec not in codes.REASON_CEASED:
        problems.append(Problem("149", "rec", f"'{episode.rec}' is not a valid reason ceased."))
    if episode.place in codes.NO_PROVIDER_PLACEMENTS:
        if episode.place_provider:
            problems.append(
                Problem(
                    "213",
                    "place_provider",
                    "Leave the provider blank for this placement.",
                )
            )
    elif episode.place_provider not in codes.PLACE_PROVIDER:
        problems.append(Problem("526", "place_provider", "Choose the placement provider."))
    return problems


def check_episode_dates(episode: EpisodeValues, born: date | None) -> list[Problem]:
    """903 rules 148, 302, 355 and 356 on one episode."""
    problems = []
    if born is not None and episode.decom < born:
        problems.append(
            Problem(
                "302",
                "decom",
                "The episode cannot start before the child's date of birth.",
            )
        )
    if (episode.dec is None) != (not episode.rec):
        problems.append(
            Problem(
                "148",
                "rec",
                "Enter both the date the episode ceased and the reason, or neither.",
            )
        )
    if episode.dec is not None and episode.dec <= episode.decom:
        problems.append(
            Problem(
                "355",
                "dec",
                "The episode must end after the day it started (not the same day).",
            )
        )
    return problems


def check_episode_sequence(episodes: Sequence[EpisodeValues]) -> list[Problem]:
    """903 rules 142, 357, 388, 431, 432, 433, 501 and 504 over one child's episodes in
    start order: a period of care starts with RNE = S; later episodes in a period start on
    the day the previous one ended X1; only the last episode may be open; the category of
    need holds for the whole period."""
    problems = []
    for index, episode in enumerate(episodes):
        problems += _check_against_previous(episode, episodes[index - 1] if index else None)
    if episodes and episodes[-1].rec == "X1":
        message = "Reason X1 means a new episode starts the same day: add that episode."
        problems.append(Problem("388", "rec", message))
    return problems


def _check_against_previous(
    episode: EpisodeValues, previous: EpisodeValues | None
) -> list[Problem]:
    if previous is None:
        if episode.rne != "S":
            return [
                Problem(
                    "357",
                    "rne",
                    "A period of care must start with reason 'S' (started to be looked after).",
                )
            ]
        return []
    if previous.dec is None:
        return [Problem("142", "decom", "End the current episode before starting another.")]
    if episode.decom < previous.dec:
        return [
            Problem(
                "501",
                "decom",
                "Episodes cannot overlap: start this one on or after the previous one ended.",
            )
        ]
    if episode.rne == "S":
        if previous.rec == "X1" or episode.decom == previous.dec:
            return [
                Problem(
                    "431",
                    "rne",
                    "A new period of care must start after the previous one ended; for a change "
                    "within a period use reason L, P, T, B or U.",
                )
            ]
        return []
    if previous.rec != "X1" or episode.decom != previous.dec:
        return [
            Problem(
                "433",
                "decom",
                "An episode with a change reason must start on the day the previous episode "
                "ended with reason X1.",
            )
        ]
    if episode.cin != previous.cin:
        return [
            Problem(
                "504",
                "cin",
                "The category of need must stay the same for the whole period of care.",
            )
        ]
    return []


def check_cp_categories(categories: Sequence[str]) -> list[Problem]:
    """CIN rules 8905/8910: at least one category, each NEG, PHY, EMO or SAB."""
    if not categories:
        return [Problem("8905", "categories", "Choose at least one category of abuse.")]
    unknown = [c for c in categories if c not in codes.CP_CATEGORY]
    if unknown:
        return [
            Problem(
                "8910",
                "categories",
                f"Unknown category {', '.join(unknown)}: use NEG, PHY, EMO or SAB.",
            )
        ]
    return []


def check_cp_plans(plans: Sequence[tuple[date, date | None]]) -> list[Problem]:
    """CIN rules: a plan cannot end on or before the day it starts; only one open plan; plans
    cannot overlap (8940). ``plans`` are (start, end) pairs in start order."""
    problems = []
    for start, end in plans:
        if end is not None and end <= start:
            problems.append(
                Problem("8935", "end_date", "A plan must end after the day it started.")
            )
    for (_, end), (next_start, next_end) in pairwise(plans):
        if end is None and next_end is None:
            message = "End the open child protection plan before starting another."
            problems.append(Problem("8945", "start_date", message))
        elif end is None or next_start < end:
            problems.append(Problem("8940", "start_date", "Child protection plans cannot overlap."))
    return problems


def check_participation_code(code: str, *, age_on_review: int | None) -> list[Problem]:
    """903 rules 167, 440 and 441 (CLA-9): PN0 if and only if the child is under 4 on the
    review date; otherwise PN1 to PN7."""
    if code not in PARTICIPATION_CODES:
        return [Problem("167", "participation", "Choose a participation code from PN0 to PN7.")]
    under_four = age_on_review is not None and age_on_review < 4
    if code == "PN0" and not under_four:
        return [
            Problem(
                "440",
                "participation",
                "PN0 is only for a child under 4 on the review date: choose PN1 to PN7.",
            )
        ]
    if code != "PN0" and under_four:
        return [
            Problem(
                "441",
                "participation",
                "The child is under 4 on the review date: use PN0.",
            )
        ]
    return []
