"""Ofsted Annex A list 7 (children on a child protection plan) and list 8 (children in
care), as CSV or XLSX (issue 9; DATA-FORMATS.md 3 and 5.2.3).

Both lists are taken on an extract date: today for the current reporting year, and 31 March
(the year's end) for a past one. List 7 holds every child on a plan that day or whose plan
ended in the six months before; list 8 every child looked after that day or who ceased in
the six months before (every legal status, short breaks V3/V4 included: the list's legal
status labels name them). Children come only from ``children_visible_to(user)``, so a
restricted child is listed only for its allow-list.

Columns are those of DATA-FORMATS.md 3.1 and 3.2, in order, with dates dd/mm/yyyy and coded
values with their letter prefix. What the service does not hold is left blank: list 8's
permanence plan, dental check date, placement location and LA, missing and absent
episodes and return interviews. The 903 code labels are the service's own (the Annex A
template's wording and the letters past the gender, ethnicity, category, yes/no and
provider sets are not confirmed: DATA-FORMATS.md 6.5); legal status uses the list's labels.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from string import ascii_lowercase

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook

from children import codes
from children.models import (
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    Visit,
)
from children.selectors import children_visible_to
from conferences.models import Conference
from people.models import User
from reporting.exports.base import Export, ExportFile
from reviews.models import ChildContact, Review
from timescales.calendar import add_months

Cell = str | int
LIST_7_COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
)
LIST_8_COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
    "Does the Child have a Disability",
    "Date Started to be Looked After",
    "Child's Category of Need",
    "Is this a second or subsequent period of being a Looked After Child within the last 12 "
    "months (Y/N)",
    "Start date of current legal status",
    "Child's Legal Status",
    "Date of Latest Statutory Review",
    "Date of Last Social Work Visit",
    "What is the permanence plan for this child?",
    "Date of Last IRO Visit / Contact to the Child",
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Number of Placements in the Last 12 months",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Provider",
    "Placement postcode",
    "URN of Placement",
    "Placement Location",
    "LA of Placement",
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
    "Allocated Team",
    "Allocated Worker",
)


def _letters() -> Iterable[str]:
    """a) ... z), then aa) ... zz) as the sample workbook continues."""
    yield from ascii_lowercase
    yield from (letter * 2 for letter in ascii_lowercase)


def prefixed(values: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{code: "a) text", ...}`` in the order given."""
    letters = _letters()
    return {code: f"{next(letters)}) {text}" for code, text in values}


GENDER = prefixed([("M", "Male"), ("F", "Female"), ("U", "Not stated/recorded")])
# The Annex A order (WOTH after the Irish groups), not the 903 list's.
ETHNICITY_ORDER = (
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
    "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)  # fmt: skip
ETHNICITY = prefixed((code, code) for code in ETHNICITY_ORDER)
YES_NO = {True: "a) Yes", False: "b) No"}
CATEGORY = prefixed(
    [
        ("NEG", "Neglect"),
        ("PHY", "Physical abuse"),
        ("SAB", "Sexual abuse"),
        ("EMO", "Emotional abuse"),
        ("MUL", "Multiple/not recommended"),
    ]
)
LEGAL_STATUS = {
    "C1": "C1: ICO",
    "C2": "C2: FCO",
    "D1": "D1: Freeing order",
    "E1": "E1: Placement order",
    "V2": "V2: Single period under S20",
    "V3": "V3: Short term breaks, episodes recorded",
    "V4": "V4: Short term breaks, agreements recorded",
    "L1": "L1: Police protection LA accommodation",
    "L2": "L2: EPO",
    "L3": "L3: Child assessment order LA accommodation",
    "J1": "J1: Remanded to LA or youth detention",
    "J2": "J2: LA accommodation under PACE",
    "J3": "J3: Youth rehabilitation order",
}
REASON_CEASED = prefixed(
    (code, f"{code}: {label}") for code, label in codes.REASON_CEASED.items() if code != "X1"
)
_PLACE_ORDER = "U1 U2 U3 U4 U5 U6 A3 A4 A5 A6 K1 K2 K3 H5 P1 P2 P3 R1 R2 R3 R5 S1 Z1 Z11 Z12 "
PLACE = prefixed(
    (code, f"{code}: {codes.ALL_PLACE[code]}")
    for code in (_PLACE_ORDER + "Z13 Z14 T0 T1 T2 T3 T4").split()
)
PROVIDER = prefixed((code, f"{code}: {label}") for code, label in codes.PLACE_PROVIDER.items())
NEW_PLACEMENT = frozenset({"S", "P", "B", "T", "U"})
SHORT_BREAKS = codes.SHORT_BREAK_LEGAL_STATUSES | {"V1"}


def extract_date(year: int, today: date | None = None) -> date:
    """Today within the reporting year starting in ``year``; its 31 March once it is past."""
    today = today or timezone.localdate()
    return min(today, date(year + 1, 3, 31))


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _age(child: Child, on: date) -> Cell:
    age = child.age_on(on)
    return "" if age is None else age


def _worker(child: Child) -> str:
    worker = child.social_worker
    return worker.get_full_name() if worker is not None else ""


def _person(child: Child, on: date) -> list[Cell]:
    """Child Unique ID, Gender, Ethnicity, Date of Birth, Age (both lists start so)."""
    return [
        child.la_child_id,
        GENDER.get(child.sex, ""),
        ETHNICITY.get(child.ethnicity, "u) UNKNOWN"),
        _day(child.date_of_birth),
        _age(child, on),
    ]


# List 7 -----------------------------------------------------------------------------------


def list_7_children(*, user: User, on: date) -> QuerySet[Child]:
    """Children on a plan on ``on`` or whose plan ended in the six months before, with
    their plans, CP visits and review conferences up to ``on`` (a fixed number of queries)."""
    since = add_months(on, -6)
    plans = ChildProtectionPlan.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since)
    )
    emergency = Episode.objects.filter(
        period__child=OuterRef("pk"), ls__in=("L1", "L2"), decom__lte=on
    ).filter(Q(dec__isnull=True) | Q(dec__gte=since))
    return (
        children_visible_to(user)
        .filter(Exists(plans.filter(child=OuterRef("pk"))))
        .annotate(emergency=Exists(emergency))
        .select_related("team", "social_worker")
        .prefetch_related(
            Prefetch(
                "cp_plans",
                ChildProtectionPlan.objects.filter(start_date__lte=on).order_by("-start_date"),
                to_attr="plans_to_date",
            ),
            Prefetch(
                "visits",
                Visit.objects.filter(kind=Visit.Kind.PROTECTION, visit_date__lte=on),
                to_attr="cp_visits",
            ),
            Prefetch(
                "conferences",
                Conference.objects.filter(
                    conference_type=Conference.Type.RCPC,
                    status=Conference.Status.HELD,
                    held_on__lte=on,
                ).order_by("-held_on"),
                to_attr="reviews_held",
            ),
        )
        .order_by("la_child_id")
    )


def list_7_row(child: Child, on: date) -> list[Cell]:
    plan = child.plans_to_date[0]
    last_day = min(plan.end_date or on, on)
    visit = next((v for v in child.cp_visits if plan.start_date <= v.visit_date <= last_day), None)
    review = next((c for c in child.reviews_held if c.cp_plan_id == plan.pk), None)
    return [
        *_person(child, on),
        YES_NO[child.disability],
        _day(plan.start_date),
        CATEGORY.get(plan.initial_category_code, ""),
        CATEGORY.get(plan.latest_category_code, ""),
        _day(visit.visit_date if visit else None),
        YES_NO[visit.seen_alone] if visit else "",
        _day(review.held_on if review else None),
        _day(plan.end_date if plan.end_date and plan.end_date <= on else None),
        YES_NO[child.emergency],
        plan.previous_plans,
        child.team.name if child.team else "",
        _worker(child),
    ]


def list_7(*, user: User, on: date) -> list[list[Cell]]:
    return [list_7_row(child, on) for child in list_7_children(user=user, on=on)]


# List 8 -----------------------------------------------------------------------------------


def list_8_children(*, user: User, on: date) -> QuerySet[Child]:
    """Children looked after on ``on`` or who ceased in the six months before, with every
    period and episode up to ``on`` and the latest review, visit, IRO contact and health
    assessment."""
    since = add_months(on, -6)
    periods = PeriodOfCare.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since)
    )
    latest_review = Review.objects.filter(
        child=OuterRef("pk"), status=Review.Status.HELD, held_date__lte=on
    ).order_by("-held_date")
    latest_visit = Visit.objects.filter(
        child=OuterRef("pk"), kind=Visit.Kind.CARE, visit_date__lte=on
    ).order_by("-visit_date")
    latest_contact = ChildContact.objects.filter(review__child=OuterRef("pk"), on__lte=on)
    latest_health = HealthAssessment.objects.filter(
        child=OuterRef("pk"), completed_on__lte=on
    ).order_by("-completed_on")
    return (
        children_visible_to(user)
        .filter(Exists(periods.filter(child=OuterRef("pk"))))
        .annotate(
            latest_review=Subquery(latest_review.values("held_date")[:1]),
            latest_visit=Subquery(latest_visit.values("visit_date")[:1]),
            latest_contact=Subquery(latest_contact.order_by("-on").values("on")[:1]),
            latest_health_assessment=Subquery(latest_health.values("completed_on")[:1]),
        )
        .select_related("team", "social_worker")
        .prefetch_related(
            Prefetch(
                "periods_of_care",
                PeriodOfCare.objects.filter(start_date__lte=on)
                .order_by("start_date")
                .prefetch_related(
                    Prefetch(
                        "episodes",
                        Episode.objects.filter(decom__lte=on).order_by("decom"),
                        to_attr="episodes_to_date",
                    )
                ),
                to_attr="periods_to_date",
            )
        )
        .order_by("la_child_id")
    )


def _legal_status_start(episodes: Sequence[Episode]) -> date:
    """The start of the run of joined episodes, ending with the latest, in one status."""
    start = episodes[-1].decom
    for earlier, later in reversed(list(pairwise(episodes))):
        if earlier.ls != later.ls or earlier.dec != later.decom:
            break
        start = earlier.decom
    return start


def _placements(periods: Sequence[PeriodOfCare], since: date, on: date) -> int:
    """Placements in [since, on]: the first episode in the window is one, and each later
    one that starts a placement (RNE S, P, B, T or U) another."""
    episodes = [
        episode
        for period in periods
        for episode in period.episodes_to_date
        if episode.dec is None or episode.dec >= since
    ]
    return max(1, 1 + sum(1 for episode in episodes[1:] if episode.rne in NEW_PLACEMENT))


def _second_period(periods: Sequence[PeriodOfCare], current: PeriodOfCare) -> bool:
    """Another period of care (not only short breaks) began in the 12 months before."""
    since = add_months(current.start_date, -12)
    return any(
        since <= period.start_date < current.start_date
        and not all(e.ls in SHORT_BREAKS for e in period.episodes_to_date)
        for period in periods
    )


def list_8_row(child: Child, on: date) -> list[Cell]:
    periods = child.periods_to_date
    period = periods[-1]
    episodes = period.episodes_to_date
    episode = episodes[-1]
    placement = next(e for e in reversed(episodes) if e.rne in NEW_PLACEMENT or e is episodes[0])
    ended = period.end_date if period.end_date and period.end_date <= on else None
    return [
        *_person(child, on),
        YES_NO[child.uasc],
        YES_NO[child.disability],
        _day(period.start_date),
        f"{episode.cin} - {codes.CATEGORY_OF_NEED.get(episode.cin, '')}",
        YES_NO[_second_period(periods, period)],
        _day(_legal_status_start(episodes)),
        LEGAL_STATUS.get(episode.ls, episode.ls),
        _day(child.latest_review),
        _day(child.latest_visit),
        "",
        _day(child.latest_contact),
        _day(child.latest_health_assessment),
        "",
        _placements(periods, add_months(on, -12), on),
        _day(ended),
        REASON_CEASED.get(episode.rec, "") if ended else "",
        _day(placement.decom),
        PLACE.get(episode.place, episode.place),
        PROVIDER.get(episode.place_provider, ""),
        episode.pl_post,
        episode.urn,
        "",
        "",
        "",
        "",
        "",
        "",
        child.team.name if child.team else "",
        _worker(child),
    ]


def list_8(*, user: User, on: date) -> list[list[Cell]]:
    rows = []
    for child in list_8_children(user=user, on=on):
        if child.periods_to_date and child.periods_to_date[-1].episodes_to_date:
            rows.append(list_8_row(child, on))
    return rows


# Files ------------------------------------------------------------------------------------


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 without a byte-order mark, CRLF line ends, the header line first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(sheet: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """One sheet named as the list ("List 7"), the header row first."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def annex_a_file(
    *, number: int, year: int, user: User, file_format: str, today: date | None = None
) -> ExportFile:
    """List ``number`` (7 or 8) on the extract date of the year starting in ``year``."""
    on = extract_date(year, today)
    columns, rows = (
        (LIST_7_COLUMNS, list_7(user=user, on=on))
        if number == 7
        else (LIST_8_COLUMNS, list_8(user=user, on=on))
    )
    content = (
        to_csv(columns, rows) if file_format == "csv" else to_xlsx(f"List {number}", columns, rows)
    )
    return ExportFile(
        filename=f"Annex_A_list_{number}_{on:%Y-%m-%d}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
        rows=len(rows),
    )


ANNEX_A_LIST_7_EXPORT = Export(
    name="annex_a_list_7",
    label="Ofsted Annex A list 7: child protection",
    formats=("csv", "xlsx"),
    produce=lambda year, user, file_format: annex_a_file(
        number=7, year=year, user=user, file_format=file_format
    ),
    description=(
        "Children on a child protection plan on the extract date (today, or 31 March for a "
        "past year), and those whose plan ended in the six months before."
    ),
)
ANNEX_A_LIST_8_EXPORT = Export(
    name="annex_a_list_8",
    label="Ofsted Annex A list 8: children in care",
    formats=("csv", "xlsx"),
    produce=lambda year, user, file_format: annex_a_file(
        number=8, year=year, user=user, file_format=file_format
    ),
    description=(
        "Children looked after on the extract date (today, or 31 March for a past year), "
        "and those who ceased to be looked after in the six months before."
    ),
)
