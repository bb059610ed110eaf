"""Reading a CIN census XML file into plain values, with every problem located.

The parser is hardened (DATA-FORMATS.md 5.1.2): expat with no DTD, no entity declarations
and no external entities, so a hostile upload cannot expand or fetch anything. Each element
keeps its line number, so an error names the file, the line, the element and the child.
Only the child protection content the IRO service holds is read (children, Section47,
ChildProtectionPlans with their review dates, the CINdetails-level ICPC date); other blocks
(assessments, CIN plans, PreProceedingsandFGDM) are ignored.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from xml.parsers import expat

from reporting.imports.base import RowError

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The schema's boolean plus the upper-case forms some case systems write (DATA-FORMATS 2.1).
FLAGS = {"true": True, "1": True, "false": False, "0": False}


class XmlRefused(Exception):
    """The file declares a DTD or entities, which a census file never needs."""


@dataclass
class Node:
    """One XML element: its name, its text, its child elements and where it starts."""

    tag: str
    line: int
    text: str = ""
    children: list["Node"] = field(default_factory=list)

    def find(self, tag: str) -> "Node | None":
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list["Node"]:
        return [child for child in self.children if child.tag == tag]

    def descendants(self, tag: str) -> Iterator["Node"]:
        for child in self.children:
            if child.tag == tag:
                yield child
            yield from child.descendants(tag)


def parse_xml(data: bytes) -> Node:
    """Parse ``data`` into a ``Node`` tree; raises ``expat.ExpatError`` or ``XmlRefused``."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    root: list[Node] = []
    parts: list[list[str]] = []

    def refuse(*_args: object) -> None:
        raise XmlRefused("The file declares a DTD or entities; a census file must not.")

    def start(tag: str, _attributes: dict[str, str]) -> None:
        node = Node(tag=tag, line=parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)
        parts.append([])

    def end(_tag: str) -> None:
        stack.pop().text = "".join(parts.pop()).strip()

    def text(data: str) -> None:
        parts[-1].append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.Parse(data, True)
    return root[0]


# The census in plain values --------------------------------------------------------------


def lines_of(*nodes: Node | None) -> dict[str, int]:
    """The line of each element directly inside ``nodes``, by name (the first of a name)."""
    found: dict[str, int] = {}
    for node in nodes:
        for child in node.children if node is not None else []:
            found.setdefault(child.tag, child.line)
    return found


@dataclass(kw_only=True)
class Located:
    """A block of the file: its own line and the lines of the elements inside it."""

    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, tag: str) -> int:
        return self.lines.get(tag, self.line)


@dataclass(kw_only=True)
class S47Row(Located):
    start: date
    icpc: date | None
    not_required: bool


@dataclass(kw_only=True)
class PlanRow(Located):
    start: date
    end: date | None
    initial: str
    latest: str
    previous: int
    reviews: list[tuple[date, int]]


@dataclass(kw_only=True)
class DetailsRow(Located):
    referral: date
    nfa: bool
    icpc: date | None
    s47s: list[S47Row]
    plans: list[PlanRow]


@dataclass(kw_only=True)
class ChildRow(Located):
    la_child_id: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    death: date | None = None
    sex: str = "U"
    ethnicity: str = ""
    upn: str = ""
    disabilities: list[str] | None = None
    details: list[DetailsRow] = field(default_factory=list)

    @property
    def s47s(self) -> list[S47Row]:
        return [s47 for details in self.details for s47 in details.s47s]

    @property
    def plans(self) -> list[PlanRow]:
        return [plan for details in self.details for plan in details.plans]


@dataclass
class Census:
    """What the file holds: its census year (named by its start, 2024 for 2024-25) and
    reference date, and the children."""

    year: int
    reference_date: date
    children: list[ChildRow]

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)


class Reader:
    """Reads values out of nodes, collecting a located ``RowError`` for each bad one."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[RowError] = []
        self.child_id = ""

    def error(self, line: int | None, column: str, rule: str, message: str) -> None:
        where = f"Child {self.child_id}: " if self.child_id else ""
        self.errors.append(RowError(self.file, line, column, rule, where + message))

    def text(self, parent: Node, tag: str, *, required: bool = False) -> str | None:
        node = parent.find(tag)
        if node is None or not node.text:
            if required:
                self.error(parent.line, tag, "APP-CIN-REQUIRED", f"{tag} is missing: add it.")
            return None
        return node.text

    def day(self, parent: Node, tag: str, *, required: bool = False) -> date | None:
        value = self.text(parent, tag, required=required)
        if value is None:
            return None
        return self.date_value(value, parent.find(tag) or parent, tag)

    def date_value(self, value: str, node: Node, tag: str) -> date | None:
        try:
            if DATE_PATTERN.match(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.error(node.line, tag, "APP-CIN-DATE", f"'{value}' is not a date: use yyyy-mm-dd.")
        return None

    def flag(self, parent: Node, tag: str, *, required: bool = False) -> bool:
        value = self.text(parent, tag, required=required)
        if value is None:
            return False
        if value.lower() not in FLAGS or value not in {*FLAGS, "TRUE", "FALSE"}:
            node = parent.find(tag) or parent
            self.error(node.line, tag, "APP-CIN-FLAG", f"'{value}' is not true, false, 1 or 0.")
            return False
        return FLAGS[value.lower()]


# Reading the tree ------------------------------------------------------------------------

CHILD_ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,20}$")


def read_header(reader: Reader, root: Node, year: int | None) -> tuple[int, date] | None:
    """The census year from ``Header/CollectionDetails`` (DATA-FORMATS.md 2.1, rule 100):
    ``Year`` is the year the census ends and ``ReferenceDate`` its 31 March. ``year``, when
    the user gave one, is the year the census starts and must agree."""
    if root.tag != "Message":
        reader.error(root.line, root.tag, "APP-CIN-FILE", "This is not a CIN census file.")
        return None
    details = root.find("Header")
    details = details.find("CollectionDetails") if details is not None else None
    if details is None:
        reader.error(root.line, "Header", "APP-CIN-FILE", "Header/CollectionDetails is missing.")
        return None
    if reader.text(details, "Collection", required=True) not in (None, "CIN"):
        reader.error(details.line, "Collection", "APP-CIN-FILE", "Collection must be CIN.")
        return None
    census_year = reader.text(details, "Year", required=True)
    reference = reader.day(details, "ReferenceDate", required=True)
    if census_year is None or reference is None:
        return None
    if not census_year.isdigit() or reference != date(int(census_year), 3, 31):
        reader.error(
            details.line,
            "ReferenceDate",
            "CIN-100",
            f"ReferenceDate must be 31 March of the census Year ({census_year}).",
        )
        return None
    start_year = int(census_year) - 1
    if year is not None and year != start_year:
        reader.error(
            details.line,
            "Year",
            "APP-CIN-YEAR",
            f"The file is the {start_year}-{(start_year + 1) % 100:02d} census, not the "
            f"{year}-{(year + 1) % 100:02d} one you chose.",
        )
        return None
    return start_year, reference


def read_child(reader: Reader, node: Node) -> ChildRow | None:
    identifiers = node.find("ChildIdentifiers")
    if identifiers is None:
        reader.error(node.line, "ChildIdentifiers", "APP-CIN-REQUIRED", "ChildIdentifiers missing.")
        return None
    la_child_id = reader.text(identifiers, "LAchildID", required=True)
    if la_child_id is None:
        return None
    reader.child_id = la_child_id
    characteristics = node.find("ChildCharacteristics")
    child = ChildRow(
        la_child_id=la_child_id, line=node.line, lines=lines_of(identifiers, characteristics)
    )
    disabilities_node = (
        characteristics.find("Disabilities") if characteristics is not None else None
    )
    if disabilities_node is not None:
        child.lines["Disability"] = disabilities_node.line
    if not CHILD_ID_PATTERN.match(la_child_id):
        reader.error(
            identifiers.line,
            "LAchildID",
            "CIN-1570",
            "LAchildID must be 1 to 20 letters or digits, with no spaces or symbols.",
        )
    child.date_of_birth = reader.day(identifiers, "PersonBirthDate")
    child.expected_date_of_birth = reader.day(identifiers, "ExpectedPersonBirthDate")
    child.death = reader.day(identifiers, "PersonDeathDate")
    child.sex = _sex(reader, identifiers)
    child.upn = reader.text(identifiers, "UPN") or reader.text(identifiers, "UPNunknown") or ""
    if characteristics is not None:
        child.ethnicity = reader.text(characteristics, "Ethnicity", required=True) or ""
        disabilities = characteristics.find("Disabilities")
        if disabilities is not None:
            child.disabilities = [d.text for d in disabilities.findall("Disability")]
    else:
        reader.error(node.line, "ChildCharacteristics", "APP-CIN-REQUIRED", "It is missing.")
    child.details = [read_details(reader, details) for details in node.findall("CINdetails")]
    return child


# GenderCurrent (up to 2023-24) mapped to the Sex codes of 2024-25 on (DATA-FORMATS 2.3).
GENDER_CURRENT = {"1": "M", "2": "F", "0": "U", "9": "U"}


def _sex(reader: Reader, identifiers: Node) -> str:
    sex = reader.text(identifiers, "Sex")
    if sex is not None:
        return sex
    gender = reader.text(identifiers, "GenderCurrent")
    if gender is not None:
        return GENDER_CURRENT.get(gender, gender)
    reader.error(identifiers.line, "Sex", "CIN-4180", "Sex is missing: use M, F or U.")
    return "U"


def read_details(reader: Reader, node: Node) -> DetailsRow:
    referral = reader.day(node, "CINreferralDate", required=True)
    details = DetailsRow(
        referral=referral or date.min,
        nfa=reader.flag(node, "ReferralNFA", required=True),
        icpc=reader.day(node, "DateOfInitialCPC"),
        s47s=[],
        plans=[],
        line=node.line,
        lines=lines_of(node),
    )
    for s47 in node.findall("Section47"):
        start = reader.day(s47, "S47ActualStartDate", required=True)
        icpc = reader.day(s47, "DateOfInitialCPC")
        not_required = reader.flag(s47, "ICPCnotRequired", required=True)
        if start is not None:
            details.s47s.append(
                S47Row(
                    start=start,
                    icpc=icpc,
                    not_required=not_required,
                    line=s47.line,
                    lines=lines_of(s47),
                )
            )
    for plan in node.findall("ChildProtectionPlans"):
        row = read_plan(reader, plan)
        if row is not None:
            details.plans.append(row)
    return details


def read_plan(reader: Reader, node: Node) -> PlanRow | None:
    start = reader.day(node, "CPPstartDate", required=True)
    end = reader.day(node, "CPPendDate")
    initial = reader.text(node, "InitialCategoryOfAbuse", required=True) or ""
    latest = reader.text(node, "LatestCategoryOfAbuse", required=True) or ""
    previous_text = reader.text(node, "NumberOfPreviousCPP", required=True)
    previous = 0
    if previous_text is not None:
        if previous_text.isdigit():
            previous = int(previous_text)
        else:
            reader.error(
                node.line, "NumberOfPreviousCPP", "CIN-8730", "Enter a whole number, 0 or more."
            )
    # Every review date under the plan, whether the file wraps them in one <Reviews> or
    # one per date (DATA-FORMATS.md 2.2 notes).
    reviews = []
    for review in node.descendants("CPPreviewDate"):
        if review.text:
            day = reader.date_value(review.text, review, "CPPreviewDate")
            if day is not None:
                reviews.append((day, review.line))
    if start is None:
        return None
    return PlanRow(
        start=start,
        end=end,
        initial=initial,
        latest=latest,
        previous=previous,
        reviews=sorted(reviews),
        line=node.line,
        lines=lines_of(node),
    )


def read_census(data: bytes, file: str, year: int | None) -> tuple[Census | None, list[RowError]]:
    """The census in ``data`` and every problem met reading it (structure and fields)."""
    reader = Reader(file)
    try:
        root = parse_xml(data)
    except expat.ExpatError as error:
        reader.error(error.lineno, "", "APP-CIN-XML", f"The file is not valid XML: {error}.")
        return None, reader.errors
    except XmlRefused as error:
        reader.error(None, "", "APP-CIN-XML", str(error))
        return None, reader.errors
    header = read_header(reader, root, year)
    if header is None:
        return None, reader.errors
    children_node = root.find("Children")
    children = []
    for node in children_node.findall("Child") if children_node is not None else []:
        reader.child_id = ""
        child = read_child(reader, node)
        if child is not None:
            children.append(child)
    return Census(header[0], header[1], children), reader.errors
