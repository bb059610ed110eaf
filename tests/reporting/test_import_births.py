"""A date of birth set or corrected by an import has the effects of recording or correcting
a birth by hand: the deadlines that depend on it move (``children.services.
birth_deadlines_refresh``: CP-8 for a plan made before birth, E-1 on an open period of
care), the retention end is worked out again (``records_changed``), an unborn child's
expected date stays (``record_birth`` keeps it), and a date that could not be recorded by
hand (``children.rules.check_birth``, ``check_born_before_death``) is reported on its row
and nothing is written. A re-import that changes no date of birth moves nothing and issues
no recompute."""

from datetime import date
from typing import Any

import pytest
import time_machine

from children import services as child_services
from children.models import Child, PeriodOfCare
from conferences.models import Conference
from iro_service.core.models import RecordSource
from reporting.imports.base import ImportFailed, RowError
from reporting.imports.cin import import_cin
from reporting.imports.ssda903 import import_ssda903
from retention import services as retention_services
from retention.models import ChildRetention
from retention.schedule import Basis
from retention.tasks import recompute_retention
from tests.conferences.factories import PRE_BIRTH_ICPC, pre_birth_plan, unborn
from tests.factories import ChildFactory
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


@pytest.fixture
def retention_recomputes(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The children of every retention recompute that follows a change to children's
    records (the record-change hook, ``retention_follow``)."""
    calls: list[list[int]] = []
    recompute = retention_services.retention_recompute

    def spy(*, child_ids: Any = None) -> int:
        calls.append(sorted(child_ids))
        return recompute(child_ids=child_ids)

    monkeypatch.setattr(retention_services, "retention_recompute", spy)
    return calls


def _header_only(header: str) -> dict[str, bytes]:
    """A 903 return of Header rows only: no episodes, no reviews."""
    return sample.files(header, sample.EPISODES.splitlines()[0], sample.REVIEWS.splitlines()[0])


def _retention(la_child_id: str) -> tuple[date | None, str]:
    stored = ChildRetention.objects.get(child__la_child_id=la_child_id)
    return stored.ends_on, stored.basis


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


def test_a_903_birth_leaves_the_expected_date_as_recording_it_by_hand_does(org, people):
    """``record_birth`` keeps the expected date beside the date of birth; so does the 903
    (which carries no expected date). The CIN census, which carries one or the other,
    writes the file's: no expected date for a born child."""
    by_hand = unborn(org, people, expected=date(2026, 4, 1))
    imported = unborn(org, people, expected=date(2026, 4, 1))
    child_services.record_birth(child=by_hand, date_of_birth=BORN, by=people["sarah"])
    header = (
        sample.HEADER.splitlines()[0] + f"\r\n{imported.la_child_id},M,23/03/2026,WBRI,UN1,,\r\n"
    )

    import_ssda903(_header_only(header), year=2025, by=None)

    births = Child.objects.filter(pk__in=[by_hand.pk, imported.pk])
    assert set(births.values_list("date_of_birth", "expected_date_of_birth")) == {
        (BORN, date(2026, 4, 1))
    }


# Retention ---------------------------------------------------------------------------------

# FAKE002 of the 903 example left care on 28 October 2024 (E4A): kept to the 75th birthday.
FAKE002_BORN, FAKE002_CORRECTED = "02/09/2016", "12/09/2016"


def _fake002_born(born: str) -> dict[str, bytes]:
    return sample.files(
        header=sample.HEADER.replace(f"FAKE002,M,{FAKE002_BORN},", f"FAKE002,M,{born},"),
        reviews=sample.REVIEWS.replace(f"FAKE002,{FAKE002_BORN},", f"FAKE002,{born},"),
    )


def test_a_date_of_birth_corrected_by_the_903_moves_the_retention_end(retention_recomputes):
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    recompute_retention()  # the nightly task, for the children the import created
    assert _retention("FAKE002") == (date(2091, 9, 2), Basis.LOOKED_AFTER)
    retention_recomputes.clear()

    import_ssda903(_fake002_born(FAKE002_CORRECTED), year=sample.YEAR, by=None)

    assert _retention("FAKE002") == (date(2091, 9, 12), Basis.LOOKED_AFTER)
    assert retention_recomputes == [[Child.objects.get(la_child_id="FAKE002").pk]]


def test_re_importing_the_corrected_903_recomputes_no_retention_end(retention_recomputes):
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    import_ssda903(_fake002_born(FAKE002_CORRECTED), year=sample.YEAR, by=None)
    assert len(retention_recomputes) == 1
    retention_recomputes.clear()

    import_ssda903(_fake002_born(FAKE002_CORRECTED), year=sample.YEAR, by=None)

    assert retention_recomputes == []
    assert _retention("FAKE002") == (date(2091, 9, 12), Basis.LOOKED_AFTER)


def test_children_new_to_the_service_wait_for_the_nightly_retention_recompute(
    retention_recomputes,
):
    """Worked out in the import, the ends of a first return's children would slow it by a
    tenth (bench/import_903.py); the nightly recompute covers them, as their care."""
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    import_cin(cin_samples.files(cin_samples.census()))

    assert retention_recomputes == []
    assert not ChildRetention.objects.exists()


# The CIN example's FAKE0001 was never looked after; its plan ended on 16 January 2025: kept
# to the later of the 25th birthday and 6 years after the plan ended.


def test_a_birth_from_the_census_moves_the_retention_end_from_the_expected_date(
    retention_recomputes,
):
    child = ChildFactory(
        la_child_id="FAKE0001", date_of_birth=None, expected_date_of_birth=date(2021, 6, 20)
    )
    retention_services.retention_recompute(child_ids=[child.pk])
    assert _retention("FAKE0001") == (date(2046, 6, 20), Basis.NEVER_LOOKED_AFTER)
    retention_recomputes.clear()
    census = cin_samples.files(cin_samples.census())

    import_cin(census)

    child.refresh_from_db()
    assert child.date_of_birth == date(2021, 6, 14)
    assert _retention("FAKE0001") == (date(2046, 6, 14), Basis.NEVER_LOOKED_AFTER)
    assert retention_recomputes == [[child.pk]]
    retention_recomputes.clear()

    import_cin(census)

    assert retention_recomputes == []


# Dates of birth that could not be recorded by hand ----------------------------------------

WINDOW_MESSAGE = (
    "The service holds this child as unborn. The date of birth must be between 14 March 2026 "
    "and 12 September 2026 (20 weeks before to 6 weeks after the expected date, 1 August "
    "2026). Check the date, or correct the expected date of birth first."
)
FUTURE_MESSAGE = (
    "The service holds this child as unborn. The date of birth cannot be in the future: "
    "enter the day the child was born."
)


def test_903_births_too_far_from_the_expected_date_or_in_the_future_are_each_refused(
    org, people, retention_recomputes
):
    """Every bad row is reported, by the rule ``record_birth`` applies; nothing is written,
    not even the birth on the good row."""
    early, future, good = (unborn(org, people, expected=date(2026, 8, 1)) for _ in range(3))
    header = sample.HEADER.splitlines()[0] + "".join(
        f"\r\n{child.la_child_id},M,{born},WBRI,UN1,,"
        for child, born in ((early, "10/03/2026"), (future, "20/07/2026"), (good, "30/06/2026"))
    )

    with time_machine.travel(date(2026, 7, 1)), pytest.raises(ImportFailed) as failed:
        import_ssda903(_header_only(header), year=2026, by=None)

    assert failed.value.errors == [
        RowError("a.csv", 2, "DOB", "APP-BIRTH", WINDOW_MESSAGE),
        RowError("a.csv", 3, "DOB", "APP-BIRTH", FUTURE_MESSAGE),
    ]
    assert not Child.objects.filter(date_of_birth__isnull=False).exists()
    assert retention_recomputes == []


def test_a_903_date_of_birth_after_the_recorded_death_is_reported_not_a_crash(people):
    child = ChildFactory(
        la_child_id="FAKE009", date_of_birth=date(2016, 9, 2), date_of_death=date(2016, 9, 5)
    )
    header = sample.HEADER.splitlines()[0] + "\r\nFAKE009,M,10/09/2016,WBRI,UN1,,"

    with pytest.raises(ImportFailed) as failed:
        import_ssda903(_header_only(header), year=2024, by=None)

    assert failed.value.errors == [
        RowError(
            "a.csv",
            2,
            "DOB",
            "APP-BIRTH-DEATH",
            "The service records this child's death on 5 September 2016: the date of birth "
            "must be on or before it. Check the date, or correct the date of death first.",
        )
    ]
    child.refresh_from_db()
    assert child.date_of_birth == date(2016, 9, 2)


def test_a_census_birth_too_far_from_the_expected_date_is_refused(retention_recomputes):
    child = ChildFactory(
        la_child_id="FAKE0001", date_of_birth=None, expected_date_of_birth=date(2022, 1, 1)
    )

    with pytest.raises(ImportFailed) as failed:
        import_cin(cin_samples.files(cin_samples.census()))

    (error,) = failed.value.errors
    assert (error.column, error.rule) == ("PersonBirthDate", "APP-BIRTH")
    assert error.message == (
        "Child FAKE0001: The service holds this child as unborn. The date of birth must be "
        "between 14 August 2021 and 12 February 2022 (20 weeks before to 6 weeks after the "
        "expected date, 1 January 2022). Check the date, or correct the expected date of "
        "birth first."
    )
    assert error.row == 23  # the example's <PersonBirthDate>
    child.refresh_from_db()
    assert child.is_unborn
    assert not child.s47_enquiries.exists()
    assert retention_recomputes == []
