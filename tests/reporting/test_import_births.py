"""A date of birth set or corrected by an import moves the deadlines that depend on it, as
recording or correcting a birth by hand does (``children.services.birth_deadlines_refresh``):
CP-8 for a plan made before birth, E-1 on an open period of care. A re-import that changes
no date of birth moves nothing and issues no recompute."""

from datetime import date
from typing import Any

import pytest

from children import services as child_services
from children.models import Child, PeriodOfCare
from conferences.models import Conference
from iro_service.core.models import RecordSource
from reporting.imports.cin import import_cin
from reporting.imports.ssda903 import import_ssda903
from tests.conferences.factories import PRE_BIRTH_ICPC, pre_birth_plan, unborn
from tests.reporting import cin_samples
from tests.reporting import ssda903_samples as sample
from timescales.models import DueDateChange

pytestmark = pytest.mark.django_db

CP6_DUE = date(2026, 6, 18)  # the pre-birth ICPC (18 March 2026) + 3 months
BORN = date(2026, 3, 23)  # a Monday, after the ICPC: the plan was made before birth
# CP-8: Mon 23 Mar 2026 + 10 WD, over Good Friday (3 Apr) and Easter Monday (6 Apr):
# 24, 25, 26, 27, 30, 31 Mar, 1, 2, 7, 8 Apr.
CP8_DUE = date(2026, 4, 8)


@pytest.fixture
def recomputes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The arguments of every due-date recompute the children's services issue."""
    calls: list[dict[str, Any]] = []
    recompute = child_services.due_dates_recompute

    def spy(**kwargs: Any) -> int:
        calls.append(kwargs)
        return recompute(**kwargs)

    monkeypatch.setattr(child_services, "due_dates_recompute", spy)
    return calls


def _first_review(child: Child) -> Conference:
    return Conference.objects.get(child=child, conference_type=Conference.Type.RCPC)


def _census_with_the_birth(child: Child) -> bytes:
    """The 2025-26 census of the unborn child of ``pre_birth_plan``: the s47 enquiry of 2
    March 2026, the ICPC and plan of 18 March, and the birth on 23 March."""
    return cin_samples.census(
        **{
            "<Year>2025</Year>": "<Year>2026</Year>",
            "<ReferenceDate>2025-03-31": "<ReferenceDate>2026-03-31",
            "FAKE0001": child.la_child_id,
            "<PersonBirthDate>2021-06-14": f"<PersonBirthDate>{BORN}",
            "<CINreferralDate>2024-04-08": "<CINreferralDate>2026-02-27",
            "<S47ActualStartDate>2024-04-10": "<S47ActualStartDate>2026-03-02",
            "<InitialCPCtarget>2024-05-01": "<InitialCPCtarget>2026-03-23",
            "2024-04-30": f"{PRE_BIRTH_ICPC}",  # DateOfInitialCPC and CPPstartDate
            "<CPPendDate>2025-01-16</CPPendDate>": "",
            "<CPPreviewDate>2024-07-25</CPPreviewDate>": "",
            "<CPPreviewDate>2025-01-16</CPPreviewDate>": "",
        }
    )


def test_a_birth_from_the_census_brings_the_first_review_forward_as_cp8_says(
    org, people, recomputes
):
    child = unborn(org, people, expected=date(2026, 4, 1))
    pre_birth_plan(child, people)
    rcpc = _first_review(child)
    assert (rcpc.rule_id, rcpc.original_due_date) == ("CP-6", CP6_DUE)

    import_cin(cin_samples.files(_census_with_the_birth(child)), by=people["mandy"])

    child.refresh_from_db()
    assert (child.date_of_birth, child.expected_date_of_birth) == (BORN, None)
    rcpc.refresh_from_db()
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == ("CP-8", BORN, CP8_DUE)
    change = DueDateChange.objects.get()
    assert (change.subject, change.rule_id, change.old_due, change.new_due) == (
        f"conferences.conference:{rcpc.pk}:original_due_date",
        "CP-8",
        CP6_DUE,
        CP8_DUE,
    )
    assert (change.cause, change.changed_by) == (
        "CIN census 2025-26 import: date of birth",
        people["mandy"],
    )
    assert [call["child_ids"] for call in recomputes] == [[child.pk]]
    # The import's one line on the timeline stands for the birth too.
    assert list(child.events.filter(kind="import").values_list("summary", flat=True)) == [
        "CIN census 2025-26 import"
    ]
    assert not child.events.filter(summary__startswith="Born").exists()


def test_re_importing_the_census_moves_nothing_and_recomputes_nothing(org, people, recomputes):
    child = unborn(org, people, expected=date(2026, 4, 1))
    pre_birth_plan(child, people)
    census = cin_samples.files(_census_with_the_birth(child))
    import_cin(census, by=people["mandy"])
    recomputes.clear()

    import_cin(census, by=people["mandy"])

    assert recomputes == []
    assert DueDateChange.objects.count() == 1
    rcpc = _first_review(child)
    assert (rcpc.rule_id, rcpc.original_due_date) == ("CP-8", CP8_DUE)


def test_a_census_bringing_the_birth_with_the_conference_it_imports_is_written(
    org, people, recomputes
):
    """The child is known only by the expected date; the census brings the birth with the
    enquiry, ICPC and plan. The imported ICPC carries no outcome or minutes due date, and
    the recompute that follows the birth leaves it so."""
    child = unborn(org, people, expected=date(2026, 4, 1))

    import_cin(cin_samples.files(_census_with_the_birth(child)), by=people["mandy"])

    child.refresh_from_db()
    assert child.date_of_birth == BORN
    icpc = Conference.objects.get(child=child)
    assert (icpc.source, icpc.outcome_due, icpc.minutes_due) == (RecordSource.IMPORTED, None, None)
    assert [call["child_ids"] for call in recomputes] == [[child.pk]]
    assert not DueDateChange.objects.exists()


def test_a_child_new_to_the_service_recomputes_nothing(recomputes):
    import_cin(cin_samples.files(cin_samples.census()))

    assert Child.objects.filter(la_child_id="FAKE0001").exists()
    assert recomputes == []


# SSDA903 -----------------------------------------------------------------------------------

# FAKE001 of the example, in care since 5 February 2024, made a toddler: E-1 then starts at
# the third birthday (E-1-FROM-AGE).
TODDLER = "14/06/2021"
CORRECTED = "24/06/2021"


def _toddler_files(born: str) -> dict[str, bytes]:
    header = sample.HEADER.replace("FAKE001,F,14/06/2012,", f"FAKE001,F,{born},")
    reviews = sample.REVIEWS
    for held in ("23/05/2024", "14/11/2024"):  # under 4 at the review: PN0 (903-441)
        reviews = reviews.replace(f"FAKE001,14/06/2012,{held},PN1", f"FAKE001,{born},{held},PN0")
    return sample.files(header=header, reviews=reviews)


def _pep_clock(la_child_id: str) -> tuple[str, date | None, date | None]:
    period = PeriodOfCare.objects.get(child__la_child_id=la_child_id, end_date__isnull=True)
    return period.pep_rule, period.pep_clock_start, period.pep_due


def test_a_date_of_birth_corrected_by_the_903_moves_the_first_pep(people, recomputes):
    import_ssda903(_toddler_files(TODDLER), year=sample.YEAR, by=people["mandy"])
    # Third birthday Fri 14 Jun 2024 + 10 WD.
    assert _pep_clock("FAKE001") == ("E-1", date(2024, 6, 14), date(2024, 6, 28))
    assert recomputes == []  # every child was new

    import_ssda903(_toddler_files(CORRECTED), year=sample.YEAR, by=people["mandy"])

    # Third birthday Mon 24 Jun 2024 + 10 WD.
    assert _pep_clock("FAKE001") == ("E-1", date(2024, 6, 24), date(2024, 7, 8))
    fake001 = Child.objects.get(la_child_id="FAKE001")
    assert recomputes == [
        {
            "cause": "SSDA903 import 2024-25: date of birth",
            "by": people["mandy"],
            "child_ids": [fake001.pk],
        }
    ]
    assert fake001.events.filter(kind="import").count() == 2  # one per import, no more


def test_re_importing_the_corrected_903_moves_nothing_and_recomputes_nothing(people, recomputes):
    import_ssda903(_toddler_files(TODDLER), year=sample.YEAR, by=people["mandy"])
    import_ssda903(_toddler_files(CORRECTED), year=sample.YEAR, by=people["mandy"])
    assert len(recomputes) == 1
    recomputes.clear()
    clock = _pep_clock("FAKE001")

    import_ssda903(_toddler_files(CORRECTED), year=sample.YEAR, by=people["mandy"])

    assert recomputes == []
    assert _pep_clock("FAKE001") == clock


def test_a_birth_from_the_903_brings_the_first_review_forward_as_cp8_says(org, people):
    """A baby on a pre-birth plan who comes into care two days after birth."""
    child = unborn(org, people, expected=date(2026, 4, 1))
    pre_birth_plan(child, people)
    header = (
        sample.HEADER.splitlines()[0] + f"\r\n{child.la_child_id},M,{BORN:%d/%m/%Y},WBRI,UN1,,\r\n"
    )
    episodes = (
        sample.EPISODES.splitlines()[0]
        + f"\r\n{child.la_child_id},25/03/2026,S,V2,N1,U4,PR1,,,,ZZ1 1AA,ZZ2 2BB,9990001\r\n"
    )
    reviews = sample.REVIEWS.splitlines()[0] + "\r\n"

    import_ssda903(sample.files(header, episodes, reviews), year=2025, by=people["mandy"])

    rcpc = _first_review(child)
    assert (rcpc.rule_id, rcpc.clock_start, rcpc.original_due_date) == ("CP-8", BORN, CP8_DUE)
    change = DueDateChange.objects.get()
    assert (change.old_due, change.new_due, change.cause, change.changed_by) == (
        CP6_DUE,
        CP8_DUE,
        "SSDA903 import 2025-26: date of birth",
        people["mandy"],
    )
