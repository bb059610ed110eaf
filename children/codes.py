"""National code lists (SSDA903 and CIN census), as data keyed by collection year.

Source: DATA-FORMATS.md 1.7 and 2.3; DOMAIN.md section 4. A collection year is named by the
year it starts (2024 = 2024-25). Lists that never changed in the years we hold are plain
mappings; PLACE changes by year and is looked up with ``place_codes(year)``.
"""

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

SEX = MappingProxyType({"M": "Male", "F": "Female", "U": "Not known or other"})

ETHNICITY = MappingProxyType(
    {
        "WBRI": "White British",
        "WIRI": "White Irish",
        "WOTH": "Any other White background",
        "WIRT": "Traveller of Irish heritage",
        "WROM": "Gypsy or Roma",
        "MWBC": "White and Black Caribbean",
        "MWBA": "White and Black African",
        "MWAS": "White and Asian",
        "MOTH": "Any other mixed background",
        "AIND": "Indian",
        "APKN": "Pakistani",
        "ABAN": "Bangladeshi",
        "AOTH": "Any other Asian background",
        "BCRB": "Caribbean",
        "BAFR": "African",
        "BOTH": "Any other Black background",
        "CHNE": "Chinese",
        "OOTH": "Any other ethnic group",
        "REFU": "Refused",
        "NOBT": "Information not yet obtained",
    }
)

UPN_UNKNOWN = MappingProxyType(
    {
        "UN1": "Not of school age and no UPN yet",
        "UN2": "Never attended a maintained school in England",
        "UN3": "Educated outside England",
        "UN4": "Newly looked after and UPN not yet known",
        "UN5": "UPN sources disagree",
    }
)

RNE = MappingProxyType(
    {
        "S": "Started to be looked after",
        "L": "Change of legal status only",
        "P": "Change of placement and carer",
        "T": "Change of placement, same carer",
        "B": "Change of legal status and of placement and carer",
        "U": "Change of legal status and of placement, same carer",
    }
)

LEGAL_STATUS = MappingProxyType(
    {
        "C1": "Interim care order",
        "C2": "Full care order",
        "D1": "Freeing order",
        "E1": "Placement order",
        "V2": "Single period of section 20 accommodation",
        "V3": "Short breaks, each break an episode",
        "V4": "Short breaks, the agreement recorded",
        "L1": "Police protection in local authority accommodation",
        "L2": "Emergency protection order",
        "L3": "Child assessment order in local authority accommodation",
        "J1": "Remanded to local authority or youth detention accommodation",
        "J2": "Local authority accommodation under PACE 1984",
        "J3": "Youth rehabilitation order with residence or intensive fostering",
    }
)
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})

CATEGORY_OF_NEED = MappingProxyType(
    {
        "N1": "Abuse or neglect",
        "N2": "Child's disability",
        "N3": "Parental illness or disability",
        "N4": "Family in acute stress",
        "N5": "Family dysfunction",
        "N6": "Socially unacceptable behaviour",
        "N7": "Low income",
        "N8": "Absent parenting",
    }
)

_PLACE_ALWAYS = {
    "A3": "Placed for adoption with consent, with current foster carer",
    "A4": "Placed for adoption with consent, not with current foster carer",
    "A5": "Placed for adoption under placement order, with current foster carer",
    "A6": "Placed for adoption under placement order, not with current foster carer",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "P1": "Placed with parents or others with parental responsibility",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS or health establishment",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution",
    "S1": "Residential school",
    "T0": "Temporary move, any type",
    "T1": "Temporary: in hospital",
    "T2": "Temporary: child on holiday",
    "T3": "Temporary: foster carer on holiday",
    "T4": "Temporary, seven days or less, other reason",
    "U1": "Fostering with relatives or friends: long-term",
    "U2": "Fostering with relatives or friends: also approved adopter",
    "U3": "Fostering with relatives or friends: other",
    "U4": "Fostering with other carers: long-term",
    "U5": "Fostering with other carers: foster for adoption",
    "U6": "Fostering with other carers: other",
}
_PLACE_UNTIL_2024 = {
    "H5": "Semi-independent accommodation",
    "P2": "Independent living",
    "Z1": "Other placement",
}
_PLACE_FROM_2025 = {
    "Z11": "Other placement (Z11)",
    "Z12": "Other placement (Z12)",
    "Z13": "Other placement (Z13)",
    "Z14": "Other placement (Z14)",
}
_K3 = {"K3": "Registered supported accommodation"}


@cache
def place_codes(year: int) -> Mapping[str, str]:
    """PLACE codes valid in the collection year starting in ``year`` (DATA-FORMATS.md 1.7);
    worked out once per year (an import checks every episode against them)."""
    codes = dict(_PLACE_ALWAYS)
    if year <= 2024:
        codes |= _PLACE_UNTIL_2024
    if year >= 2024:
        codes |= _K3
    if year >= 2025:
        codes |= _PLACE_FROM_2025
    return MappingProxyType(dict(sorted(codes.items())))


ALL_PLACE = MappingProxyType(
    dict(sorted((_PLACE_ALWAYS | _PLACE_UNTIL_2024 | _PLACE_FROM_2025 | _K3).items()))
)
TEMPORARY_PLACEMENTS = frozenset({"T0", "T1", "T2", "T3", "T4"})
NO_PROVIDER_PLACEMENTS = TEMPORARY_PLACEMENTS | {"Z1", "Z11", "Z12", "Z13", "Z14"}

PLACE_PROVIDER = MappingProxyType(
    {
        "PR0": "Parents or person with parental responsibility",
        "PR1": "Own local authority provision",
        "PR2": "Another local authority",
        "PR3": "Other public provision",
        "PR4": "Private provision",
        "PR5": "Voluntary or third sector",
    }
)

REASON_CEASED = MappingProxyType(
    {
        "X1": "Episode ends and a new one begins the same day",
        "E11": "Adopted, application unopposed",
        "E12": "Adopted, consent dispensed with",
        "E2": "Died",
        "E3": "Care taken over by another UK local authority",
        "E4A": "Returned home as part of care planning",
        "E4B": "Returned home, not part of care planning",
        "E13": "Left care to live with parents, relatives or others without PR",
        "E41": "Residence or child arrangements order",
        "E45": "Special guardianship order to former foster carer, relative or friend",
        "E46": "Special guardianship order to former foster carer, other",
        "E47": "Special guardianship order to carer, relative or friend",
        "E48": "Special guardianship order to carer, other",
        "E5": "Independent living with formal support",
        "E6": "Independent living without formal support",
        "E7": "Transferred to adult social care residential care",
        "E8": "Ceased for any other reason",
        "E9": "Sentenced to custody",
        "E14": "Remand ended",
        "E15": "Age assessment found 18 or over",
        "E16": "Moved abroad",
        "E17": "Aged 18 or over and stayed with current carers",
    }
)

REASON_PLACE_CHANGE = MappingProxyType(
    {
        "CARPL": "Change to or implementation of care plan",
        "CLOSE": "Carer resigned or provision closed",
        "ALLEG": "Section 47 allegation",
        "STAND": "Standards of care concern",
        "APPRR": "Approval removed",
        "CREQB": "Carer asked for the end because of the child's behaviour",
        "CREQO": "Carer asked for the end, other reason",
        "CHILD": "Child asked for the end",
        "LAREQ": "Responsible authority ended it",
        "PLACE": "Change of placement status only",
        "CUSTOD": "Custody",
        "OTHER": "Other",
    }
)

CP_CATEGORY = MappingProxyType(
    {
        "NEG": "Neglect",
        "PHY": "Physical abuse",
        "EMO": "Emotional abuse",
        "SAB": "Sexual abuse",
    }
)
CP_CATEGORY_MULTIPLE = "MUL"

# CP-12: why a child protection plan ends.
CP_PLAN_END_REASON = MappingProxyType(
    {
        "no_longer_at_risk": "Conference decided the child is no longer at continuing risk",
        "transferred": "Moved permanently to another authority and transfer-in held",
        "turned_18": "Reached 18",
        "died": "Died",
        "left_uk": "Left the UK permanently",
        "became_looked_after": "Became looked after",
    }
)


def choices(codes: "MappingProxyType[str, str] | dict[str, str]") -> list[tuple[str, str]]:
    """Django choices with the code shown first: ``("U4", "U4: Fostering ...")``."""
    return [(code, f"{code}: {label}") for code, label in codes.items()]
