"""The CIN census child protection content for a census year, as XML (issue 9;
DATA-FORMATS.md 2.1, 2.2 and 5.2.2).

The service holds only part of a child's CIN record, so this file is for reconciliation
with the case management system's return, not a full census. What it writes, as at the
census ``ReferenceDate`` (31 March):

- each child visible to the exporting user (``children_visible_to``: a restricted child
  only for its allow-list) with child protection activity in the year;
- one ``CINdetails`` per child. The service holds no referral, so ``CINreferralDate`` is the
  earliest date written inside it (rules 2889/1104/1105 then hold), ``ReferralSource`` is
  ``10`` (unknown), ``PrimaryNeedCode`` the child's latest 903 category of need or ``N0``
  (not stated), ``ReferralNFA`` 0;
- ``Section47``: enquiries whose ICPC was held in the year, or open at the reference date
  and started in the year (8715, 8740); ``InitialCPCtarget`` is the CP-1 due date;
- ``DateOfInitialCPC`` on the ``CINdetails``: an initial conference held in the year with
  no enquiry (a transfer-in), one per episode (2884, 2885);
- ``ChildProtectionPlans`` open at any time in the year, with the latest category (MUL for
  several, CP-3), ``NumberOfPreviousCPP`` (CP-13) and one ``<Reviews>`` holding every
  review conference held for the plan up to the reference date, in date order (the
  timeliness of a review depends on the one before, so earlier years' reviews are kept);
  an end date after the reference date is left out (the plan was open then, 8930).
- ``Disabilities`` is ``NONE`` for a child recorded without a disability and left out
  otherwise: the service records whether a child is disabled, not the DfE code.
"""

import xml.etree.ElementTree as ET
from datetime import date, datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from children.models import Child, ChildProtectionPlan, Episode, S47Enquiry
from children.selectors import children_visible_to
from conferences.models import Conference
from people.models import User
from reporting.exports.base import Export, ExportFile

SOFTWARE_CODE = "IRO-APP"
RELEASE = "1.0.0"
# The DfE's code for the made-up authority of its examples: a real LA code must be set.
DEFAULT_LA_CODE = "999"
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}


def census_period(year: int) -> tuple[date, date]:
    """The census year starting in ``year``: 1 April to the ReferenceDate, 31 March."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def _s47s(start: date, reference: date) -> QuerySet[S47Enquiry]:
    return S47Enquiry.objects.filter(
        Q(icpc_date__range=(start, reference))
        | (
            Q(start_date__range=(start, reference))
            & (Q(icpc_date__isnull=True) | Q(icpc_date__gt=reference))
        )
    )


def _plans(start: date, reference: date) -> QuerySet[ChildProtectionPlan]:
    return ChildProtectionPlan.objects.filter(start_date__lte=reference).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def _initials_without_s47(start: date, reference: date) -> QuerySet[Conference]:
    return Conference.objects.filter(
        status=Conference.Status.HELD,
        conference_type__in=Conference.INITIAL_TYPES,
        s47_enquiry__isnull=True,
        held_on__range=(start, reference),
    )


def census_children(*, user: User, year: int) -> QuerySet[Child]:
    """The children the census year's file holds, with what it writes prefetched (a fixed
    number of queries, whatever the number of children)."""
    start, reference = census_period(year)
    s47s, plans = _s47s(start, reference), _plans(start, reference)
    initials = _initials_without_s47(start, reference)
    reviews = Conference.objects.filter(
        status=Conference.Status.HELD,
        conference_type=Conference.Type.RCPC,
        held_on__lte=reference,
    ).order_by("held_on")
    latest_need = Episode.objects.filter(period__child=OuterRef("pk")).order_by("-decom")
    return (
        children_visible_to(user)
        .filter(
            Exists(s47s.filter(child=OuterRef("pk")))
            | Exists(plans.filter(child=OuterRef("pk")))
            | Exists(initials.filter(child=OuterRef("pk")))
        )
        .annotate(need=Subquery(latest_need.values("cin")[:1]))
        .prefetch_related(
            Prefetch("s47_enquiries", s47s.order_by("start_date"), to_attr="census_s47s"),
            Prefetch(
                "cp_plans",
                plans.order_by("start_date").prefetch_related(
                    Prefetch("conferences", reviews, to_attr="census_reviews")
                ),
                to_attr="census_plans",
            ),
            Prefetch("conferences", initials.order_by("held_on"), to_attr="census_initials"),
        )
        .order_by("la_child_id")
    )


def _add(parent: ET.Element, tag: str, value: object) -> ET.Element | None:
    """Append ``<tag>value</tag>``; an element with no value is left out (never empty)."""
    if value is None or value == "":
        return None
    element = ET.SubElement(parent, tag)
    element.text = value.isoformat() if isinstance(value, date) else str(value)
    return element


def _header(root: ET.Element, year: int, now: datetime) -> None:
    header = ET.SubElement(root, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year + 1)
    _add(details, "ReferenceDate", census_period(year)[1])
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", settings.LA_CODE or DEFAULT_LA_CODE)
    _add(source, "SoftwareCode", SOFTWARE_CODE)
    _add(source, "Release", RELEASE)
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", now.replace(microsecond=0, tzinfo=None).isoformat())


def _identifiers(element: ET.Element, child: Child, year: int) -> None:
    identifiers = ET.SubElement(element, "ChildIdentifiers")
    _add(identifiers, "LAchildID", child.la_child_id)
    if child.upn.startswith("UN"):
        _add(identifiers, "UPNunknown", child.upn)
    else:
        _add(identifiers, "UPN", child.upn)
    if child.date_of_birth:
        _add(identifiers, "PersonBirthDate", child.date_of_birth)
    else:
        _add(identifiers, "ExpectedPersonBirthDate", child.expected_date_of_birth)
    # Sex (M/F/U) replaced GenderCurrent (1/2/0) in the 2024-25 census (DATA-FORMATS 2.5).
    if year >= 2024:
        _add(identifiers, "Sex", child.sex)
    else:
        _add(identifiers, "GenderCurrent", GENDER_CURRENT.get(child.sex, "0"))
    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _add(characteristics, "Ethnicity", child.ethnicity)
    if not child.disability:
        _add(ET.SubElement(characteristics, "Disabilities"), "Disability", "NONE")


def _plan(details: ET.Element, plan: ChildProtectionPlan, reference: date) -> None:
    element = ET.SubElement(details, "ChildProtectionPlans")
    _add(element, "CPPstartDate", plan.start_date)
    if plan.end_date and plan.end_date <= reference:
        _add(element, "CPPendDate", plan.end_date)
    _add(element, "InitialCategoryOfAbuse", plan.initial_category_code)
    _add(element, "LatestCategoryOfAbuse", plan.latest_category_code or plan.initial_category_code)
    _add(element, "NumberOfPreviousCPP", plan.previous_plans)
    dates = sorted({c.held_on for c in plan.census_reviews if c.held_on > plan.start_date})
    if dates:
        reviews = ET.SubElement(element, "Reviews")
        for day in dates:
            _add(reviews, "CPPreviewDate", day)


def _details(element: ET.Element, child: Child, reference: date) -> None:
    s47s = child.census_s47s
    icpcs = {enquiry.icpc_date for enquiry in s47s}
    plan_starts = {plan.start_date for plan in child.census_plans}
    # One CINdetails holds one such date (2884: never one an enquiry already carries);
    # prefer the conference a plan started from (2885).
    initials = [c.held_on for c in child.census_initials if c.held_on not in icpcs]
    initial = max(initials, key=lambda day: (day in plan_starts, day), default=None)
    dates = [e.start_date for e in s47s] + [p.start_date for p in child.census_plans]
    details = ET.SubElement(element, "CINdetails")
    _add(details, "CINreferralDate", min([*dates, *([initial] if initial else [])]))
    _add(details, "ReferralSource", "10")
    _add(details, "PrimaryNeedCode", child.need or "N0")
    _add(details, "DateOfInitialCPC", initial)
    for enquiry in s47s:
        section = ET.SubElement(details, "Section47")
        _add(section, "S47ActualStartDate", enquiry.start_date)
        _add(section, "InitialCPCtarget", enquiry.icpc_due)
        if enquiry.icpc_date and enquiry.icpc_date <= reference:
            _add(section, "DateOfInitialCPC", enquiry.icpc_date)
        _add(section, "ICPCnotRequired", int(enquiry.icpc_not_required))
    _add(details, "ReferralNFA", 0)
    for plan in child.census_plans:
        _plan(details, plan, reference)


def cin_census_xml(*, year: int, user: User, now: datetime | None = None) -> ExportFile:
    """The census year starting in ``year`` (2024: the 2024-25 census, ``<Year>2025``)."""
    reference = census_period(year)[1]
    root = ET.Element("Message")
    _header(root, year, timezone.localtime(now or timezone.now()))
    children = ET.SubElement(root, "Children")
    rows = 0
    for child in census_children(user=user, year=year):
        element = ET.SubElement(children, "Child")
        _identifiers(element, child, year)
        _details(element, child, reference)
        rows += 1
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode").encode("utf-8")
    return ExportFile(
        filename=f"CIN_Census_{year + 1}.xml",
        content_type="application/xml",
        content=b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n",
        rows=rows,
    )


def _produce(year: int, user: User, file_format: str) -> ExportFile:
    return cin_census_xml(year=year, user=user)


CIN_EXPORT = Export(
    name="cin",
    label="CIN census: child protection",
    formats=("xml",),
    produce=_produce,
    description=(
        "Section 47 enquiries, initial conferences and child protection plans with their "
        "review dates for the census year, for reconciliation with the council's return."
    ),
)
