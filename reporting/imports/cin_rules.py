"""The national CIN census rules the IRO service's content must pass (DATA-FORMATS.md 2.3
and 2.4), over the plain values of ``cin_read``. Each check reports every breach with its
line, element, rule (``CIN-nnnn`` for a DfE rule, ``APP-...`` for the app's own) and child.

Queries (DfE rules ending in Q) do not block an import and are not reported here.
"""

from datetime import date
from itertools import pairwise

from children import codes
from children.rules import check_upn
from reporting.imports.cin_read import Census, ChildRow, DetailsRow, PlanRow, Reader

CATEGORIES = {*codes.CP_CATEGORY, codes.CP_CATEGORY_MULTIPLE}
DISABILITIES = {
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
}  # fmt: skip
UPN_UNKNOWN_CIN = {f"UN{n}" for n in range(1, 8)}


def check_census(census: Census, reader: Reader) -> None:
    """Run every rule over every child; problems go to ``reader.errors``."""
    seen: dict[str, int] = {}
    for child in census.children:
        reader.child_id = child.la_child_id
        if child.la_child_id in seen:
            reader.error(
                child.line,
                "LAchildID",
                "APP-CIN-DUPLICATE",
                f"This child is in the file twice (first at line {seen[child.la_child_id]}).",
            )
        seen.setdefault(child.la_child_id, child.line)
        check_child(child, reader)
        for details in child.details:
            check_details(details, census, child, reader)
        check_plans_of_child(child, census, reader)


def check_child(child: ChildRow, reader: Reader) -> None:
    """Identifiers and characteristics: 8525, 4180, 4220, 8540, 8790 and the UPN format."""
    if (child.date_of_birth is None) == (child.expected_date_of_birth is None):
        reader.error(
            child.at("PersonBirthDate"),
            "PersonBirthDate",
            "CIN-8525",
            "Give either a date of birth or an expected date of birth (exactly one).",
        )
    if child.sex not in codes.SEX:
        reader.error(child.at("Sex"), "Sex", "CIN-4180", f"Sex '{child.sex}' is not M, F or U.")
    if child.ethnicity and child.ethnicity not in codes.ETHNICITY:
        reader.error(
            child.at("Ethnicity"),
            "Ethnicity",
            "CIN-4220",
            f"'{child.ethnicity}' is not an ethnicity code.",
        )
    if child.upn and child.upn not in UPN_UNKNOWN_CIN and check_upn(child.upn):
        reader.error(child.at("UPN"), "UPN", "APP-CIN-UPN", check_upn(child.upn)[0].message)
    disabilities = child.disabilities or []
    for code in disabilities:
        if code not in DISABILITIES:
            reader.error(
                child.at("Disability"),
                "Disability",
                "CIN-8540",
                f"'{code}' is not a disability code.",
            )
    if "NONE" in disabilities and len(disabilities) > 1:
        reader.error(
            child.at("Disability"), "Disability", "CIN-8790", "NONE cannot go with another code."
        )


def _in_year(day: date, census: Census) -> bool:
    return census.start <= day <= census.reference_date


def check_details(details: DetailsRow, census: Census, child: ChildRow, reader: Reader) -> None:
    """Section 47 enquiries and ICPC dates within one CINdetails (2889, 8615, 1104, 8715,
    8875, 2884, 8839, 8890, 8740)."""
    icpcs = [(s47.icpc, s47.at("DateOfInitialCPC")) for s47 in details.s47s if s47.icpc]
    if details.icpc:
        icpcs.append((details.icpc, details.at("DateOfInitialCPC")))
        if any(s47.icpc == details.icpc for s47 in details.s47s):
            reader.error(
                details.at("DateOfInitialCPC"),
                "DateOfInitialCPC",
                "CIN-2884",
                "This ICPC is recorded both in a Section47 and on the CINdetails: keep one.",
            )
    for icpc, line in icpcs:
        if icpc < details.referral:
            reader.error(line, "DateOfInitialCPC", "CIN-1104", "The ICPC is before the referral.")
        if not _in_year(icpc, census):
            reader.error(
                line, "DateOfInitialCPC", "CIN-8715", "The ICPC must fall within the census year."
            )
        if icpc.weekday() >= 5:
            reader.error(line, "DateOfInitialCPC", "CIN-8875", "The ICPC is on a weekend.")
    for s47 in details.s47s:
        if s47.start < details.referral:
            reader.error(
                s47.at("S47ActualStartDate"),
                "S47ActualStartDate",
                "CIN-2889",
                "The section 47 enquiry starts before the referral.",
            )
        if s47.icpc and s47.icpc < s47.start:
            reader.error(
                s47.at("DateOfInitialCPC"),
                "DateOfInitialCPC",
                "CIN-8615",
                "The ICPC is before the s47 started.",
            )
        if not s47.icpc and not s47.not_required and s47.start < census.start:
            reader.error(
                s47.at("S47ActualStartDate"),
                "S47ActualStartDate",
                "CIN-8740",
                "An enquiry with no ICPC (and not 'not required') must start in the census year.",
            )
    _check_s47_overlaps(details, census, reader)
    for plan in details.plans:
        check_plan(plan, details, census, child, reader)


def _check_s47_overlaps(details: DetailsRow, census: Census, reader: Reader) -> None:
    open_s47s = [s47 for s47 in details.s47s if not s47.icpc and not s47.not_required]
    for s47 in open_s47s[1:]:
        reader.error(
            s47.line, "Section47", "CIN-8839", "Only one open section 47 enquiry per episode."
        )
    spans = sorted(
        (s47.start, s47.icpc or (s47.start if s47.not_required else census.reference_date), s47)
        for s47 in details.s47s
    )
    for (_, end, _), (start, _, later) in pairwise(spans):
        if start < end:
            reader.error(
                later.at("S47ActualStartDate"),
                "S47ActualStartDate",
                "CIN-8890",
                "Section 47 enquiries overlap.",
            )


def check_plan(
    plan: PlanRow, details: DetailsRow, census: Census, child: ChildRow, reader: Reader
) -> None:
    """One plan: 8720, 1105, 2885, 8840, 8925, 8930, 8905/8910, 8832, 8915/8920, 8841."""

    def error(column: str, rule: str, message: str, line: int | None = None) -> None:
        reader.error(line or plan.at(column), column, rule, message)

    if plan.start > census.reference_date:
        error("CPPstartDate", "CIN-8720", "The plan starts after the ReferenceDate.")
    if plan.start < details.referral:
        error("CPPstartDate", "CIN-1105", "The plan starts before the referral.")
    icpc_dates = {s47.icpc for s47 in details.s47s if s47.icpc and not s47.not_required}
    if details.icpc:
        icpc_dates.add(details.icpc)
    if _in_year(plan.start, census) and plan.start not in icpc_dates:
        error("CPPstartDate", "CIN-2885", "A plan must start on the date of an ICPC.")
    if plan.end is not None:
        if plan.end == plan.start:
            error("CPPendDate", "CIN-8840", "A plan cannot start and end on the same day.")
        elif plan.end < plan.start:
            error("CPPendDate", "CIN-8925", "The plan ends before it starts.")
        if not _in_year(plan.end, census):
            error("CPPendDate", "CIN-8930", "The plan end date must be in the census year.")
    for column, code, rule in (
        ("InitialCategoryOfAbuse", plan.initial, "CIN-8905"),
        ("LatestCategoryOfAbuse", plan.latest, "CIN-8910"),
    ):
        if code and code not in CATEGORIES:
            error(column, rule, f"'{code}' is not NEG, PHY, EMO, SAB or MUL.")
    if details.nfa:
        error("ChildProtectionPlans", "CIN-8832", "No plan in a referral with no further action.")
    if child.death and plan.start > child.death:
        error("CPPstartDate", "CIN-8915", "The plan starts after the child's death.")
    if child.death and plan.end and plan.end > child.death:
        error("CPPendDate", "CIN-8920", "The plan ends after the child's death.")
    last_day = min(plan.end or census.reference_date, census.reference_date)
    for review, line in plan.reviews:
        if review <= plan.start:
            error("CPPreviewDate", "CIN-8841", "A review must be after the plan started.", line)
        elif review > last_day:
            error(
                "CPPreviewDate",
                "APP-CIN-REVIEW",
                "A review cannot be after the plan ended or after the ReferenceDate.",
                line,
            )


def check_plans_of_child(child: ChildRow, census: Census, reader: Reader) -> None:
    """Across the child's plans: one open plan (8935, enforced per child, not per episode:
    DATA-FORMATS.md 2.4 notes) and no overlap (8940); one s47 per start date."""
    plans = sorted(child.plans, key=lambda plan: plan.start)
    for plan in [plan for plan in plans if plan.end is None][1:]:
        reader.error(
            plan.at("CPPendDate"),
            "CPPendDate",
            "CIN-8935",
            "The child has more than one open plan.",
        )
    for earlier, later in pairwise(plans):
        if later.start < (earlier.end or census.reference_date) or later.start == earlier.start:
            reader.error(
                later.at("CPPstartDate"), "CPPstartDate", "CIN-8940", "The child's plans overlap."
            )
    starts: set[date] = set()
    for s47 in child.s47s:
        if s47.start in starts:
            reader.error(
                s47.at("S47ActualStartDate"),
                "S47ActualStartDate",
                "APP-CIN-DUPLICATE",
                "Two section 47 enquiries start the same day.",
            )
        starts.add(s47.start)
