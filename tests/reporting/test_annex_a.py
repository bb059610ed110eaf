"""Ofsted Annex A lists 7 and 8 (issue 9; DATA-FORMATS.md 3): columns in order, rows,
CSV and XLSX, access (restricted children), logged exports."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from children.models import (
    Child,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    Visit,
)
from conferences.models import Conference
from people.models import Team, User
from reporting.exports import EXPORTS
from reporting.exports.annex_a import (
    LIST_7_COLUMNS,
    LIST_8_COLUMNS,
    annex_a_file,
    extract_date,
    list_7,
    list_8,
)
from reporting.exports.base import export_run
from reporting.models import ExportRecord
from reviews.models import ChildContact, Review
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

ON = date(2025, 3, 31)


@pytest.fixture
def on_plan(people: dict[str, User], org: dict[str, Team]) -> Child:
    """On a plan since 2 Sep 2024 (a repeat plan), reviewed 2 Dec 2024, visited alone
    10 Mar 2025, in police protection (L1) from 20 Jan 2025 to 22 Jan 2025."""
    child = ChildFactory(
        la_child_id="CP001",
        date_of_birth=date(2015, 6, 1),
        sex="M",
        ethnicity="MWBC",
        team=org["team"],
        social_worker=people["sarah"],
    )
    plan = ChildProtectionPlan.objects.create(
        child=child,
        start_date=date(2024, 9, 2),
        initial_categories=["NEG"],
        latest_categories=["NEG", "EMO"],
        previous_plans=1,
    )
    Conference.objects.create(
        child=child,
        cp_plan=plan,
        conference_type="rcpc",
        status="held",
        held_on=date(2024, 12, 2),
        rule_id="CP-6",
        clock_start=date(2024, 9, 2),
        original_due_date=date(2024, 12, 2),
    )
    Visit.objects.create(
        child=child, kind="protection", visit_date=date(2025, 3, 10), seen_alone=True
    )
    period = PeriodOfCare.objects.create(
        child=child,
        start_date=date(2025, 1, 20),
        end_date=date(2025, 1, 22),
        iro_allocation_due=date(2025, 1, 27),
    )
    Episode.objects.create(
        period=period, decom=date(2025, 1, 20), rne="S", ls="L1", cin="N1", place="U6",
        place_provider="PR1", dec=date(2025, 1, 22), rec="E4A",
    )  # fmt: skip
    return child


@pytest.fixture
def in_care(people: dict[str, User], org: dict[str, Team]) -> Child:
    """Looked after since 5 Feb 2024 (a move in July 2024, a full care order in November),
    reviewed 14 Nov 2024, visited 1 Mar 2025, the IRO in touch 7 Nov 2024."""
    child = ChildFactory(
        la_child_id="LA001",
        date_of_birth=date(2012, 6, 14),
        uasc=True,
        team=org["team"],
        social_worker=people["sarah"],
    )
    period = PeriodOfCare.objects.create(
        child=child, start_date=date(2024, 2, 5), iro_allocation_due=date(2024, 2, 12)
    )
    for decom, rne, ls, place, dec in [
        (date(2024, 2, 5), "S", "C1", "U6", date(2024, 7, 15)),
        (date(2024, 7, 15), "P", "C1", "U4", date(2024, 11, 20)),
        (date(2024, 11, 20), "L", "C2", "U4", None),
    ]:
        Episode.objects.create(
            period=period, decom=decom, rne=rne, ls=ls, cin="N1", place=place,
            place_provider="PR1", dec=dec, rec="X1" if dec else "", pl_post="ZZ3 3CC",
            urn="9990001",
        )  # fmt: skip
    review = Review.objects.create(
        child=child,
        period=period,
        sequence_rule="CLA-2",
        clock_start=date(2024, 2, 5),
        original_due_date=date(2024, 11, 30),
        due_date=date(2024, 11, 30),
        status="held",
        held_date=date(2024, 11, 14),
    )
    ChildContact.objects.create(
        review=review, on=date(2024, 11, 7), how="visit", seen_alone=True, by=people["alice"]
    )
    Visit.objects.create(child=child, kind="care", visit_date=date(2025, 3, 1))
    return child


def test_list_7_row_holds_the_plan_as_annex_a_wants_it(
    on_plan: Child, people: dict[str, User]
) -> None:
    rows = list_7(user=people["mandy"], on=ON)

    assert rows == [
        [
            "CP001", "a) Male", "f) MWBC", "01/06/2015", 9, "b) No", "02/09/2024",
            "a) Neglect", "e) Multiple/not recommended", "10/03/2025", "a) Yes", "02/12/2024",
            "", "a) Yes", 1, "CiC Team A", people["sarah"].get_full_name(),
        ]
    ]  # fmt: skip


def test_list_8_row_holds_the_period_of_care(in_care: Child, people: dict[str, User]) -> None:
    (row,) = list_8(user=people["mandy"], on=ON)

    assert len(row) == len(LIST_8_COLUMNS)
    assert row[:14] == [
        "LA001", "b) Female", "a) WBRI", "14/06/2012", 12, "a) Yes", "b) No", "05/02/2024",
        "N1 - Abuse or neglect", "b) No", "20/11/2024", "C2: FCO", "14/11/2024", "01/03/2025",
    ]  # fmt: skip
    assert row[15] == "07/11/2024"
    # Placements in the last 12 months: the one open on 31 March 2024 and the July move.
    assert row[18] == 2
    assert row[19:26] == [
        "", "", "15/07/2024", "d) U4: Fostering with other carers: long-term",
        "b) PR1: Own local authority provision", "ZZ3 3CC", "9990001",
    ]  # fmt: skip
    assert row[-2] == "CiC Team A"


def test_a_child_who_left_care_within_six_months_is_listed_with_the_reason(
    on_plan: Child, people: dict[str, User]
) -> None:
    (row,) = list_8(user=people["mandy"], on=ON)

    assert row[0] == "CP001"
    assert row[19:21] == ["22/01/2025", "e) E4A: Returned home as part of care planning"]


def test_csv_has_the_columns_in_order_with_crlf_and_no_bom(
    on_plan: Child, people: dict[str, User]
) -> None:
    exported = annex_a_file(
        number=7, year=2024, user=people["mandy"], file_format="csv", today=date(2025, 6, 1)
    )

    assert exported.filename == "Annex_A_list_7_2025-03-31.csv"
    text = exported.content.decode("utf-8")
    assert not text.startswith("\ufeff") and text.count("\r\n") == 2
    header, row = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == LIST_7_COLUMNS and len(header) == 17
    assert row[0] == "CP001" and row[6] == "02/09/2024"


def test_xlsx_has_one_sheet_per_list(in_care: Child, people: dict[str, User]) -> None:
    exported = annex_a_file(number=8, year=2024, user=people["mandy"], file_format="xlsx")

    workbook = load_workbook(io.BytesIO(exported.content))
    assert workbook.sheetnames == ["List 8"]
    header, row = list(workbook["List 8"].iter_rows(values_only=True))
    assert header == LIST_8_COLUMNS and len(header) == 34
    assert row[0] == "LA001" and row[7] == "05/02/2024"


def test_extract_date_is_today_or_the_years_end() -> None:
    assert extract_date(2024, today=date(2025, 2, 1)) == date(2025, 2, 1)
    assert extract_date(2024, today=date(2025, 9, 1)) == date(2025, 3, 31)


def test_restricted_child_is_left_out_except_for_its_allow_list(
    on_plan: Child, people: dict[str, User]
) -> None:
    on_plan.restricted = True
    on_plan.save(update_fields=["restricted"])
    on_plan.allowed_users.add(people["bob"])

    assert list_7(user=people["mandy"], on=ON) == []
    assert list_8(user=people["mandy"], on=ON) == []
    assert [row[0] for row in list_7(user=people["bob"], on=ON)] == ["CP001"]
    assert list_7(user=people["charlie"], on=ON) == []


@pytest.mark.parametrize("name", ["annex_a_list_7", "annex_a_list_8"])
def test_exports_are_registered_and_logged(
    name: str, on_plan: Child, in_care: Child, people: dict[str, User]
) -> None:
    produced = export_run(export=EXPORTS[name], year=2024, file_format="xlsx", by=people["mandy"])

    record = ExportRecord.objects.get()
    assert (record.export, record.file_format, record.by) == (name, "xlsx", people["mandy"])
    assert record.rows == produced.rows >= 1


def test_list_queries_do_not_grow_with_children(
    people: dict[str, User], org: dict[str, Team], django_assert_max_num_queries
) -> None:
    for n in range(6):
        child = ChildFactory(la_child_id=f"Q{n}", team=org["team"])
        ChildProtectionPlan.objects.create(
            child=child, start_date=date(2024, 5, 1), initial_categories=["NEG"],
            latest_categories=["NEG"],
        )  # fmt: skip
        period = PeriodOfCare.objects.create(
            child=child, start_date=date(2024, 5, 1), iro_allocation_due=date(2024, 5, 8)
        )
        Episode.objects.create(
            period=period, decom=date(2024, 5, 1), rne="S", ls="V2", cin="N4", place="U6",
            place_provider="PR4",
        )  # fmt: skip

    with django_assert_max_num_queries(8):
        assert len(list_7(user=people["mandy"], on=ON)) == 6
    with django_assert_max_num_queries(8):
        assert len(list_8(user=people["mandy"], on=ON)) == 6


def test_list_8_gives_the_last_health_assessment_before_the_extract_date(
    in_care: Child, people: dict[str, User]
) -> None:
    period = in_care.periods_of_care.get()
    for day in (date(2024, 2, 20), date(2025, 2, 18), date(2025, 4, 2)):
        HealthAssessment.objects.create(
            child=in_care, period=period, kind="review", completed_on=day, rule_id="H-2",
            due_date=day,
        )  # fmt: skip

    (row,) = list_8(user=people["mandy"], on=ON)

    assert LIST_8_COLUMNS[16] == "Date of Last Health Assessment"
    assert row[16] == "18/02/2025"  # 2 April is after the extract date
    assert row[17] == ""  # dental checks are not held
