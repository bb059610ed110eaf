"""The CIN census import (issue 9; DATA-FORMATS.md 2 and 5.1): children, s47 enquiries,
ICPC dates, CP plans and review dates, all or nothing, idempotent, located errors."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from children.models import Child, ChildProtectionPlan, S47Enquiry
from conferences.models import Conference
from iro_service.core.models import RecordSource
from reporting.imports.base import ImportFailed
from reporting.imports.cin import import_cin
from tests.factories import ChildFactory
from tests.reporting.cin_samples import census, files

pytestmark = pytest.mark.django_db

NOTHING = {"added": 0, "updated": 0}


def _errors(data: bytes, **kwargs: object) -> list:
    with pytest.raises(ImportFailed) as failure:
        import_cin(files(data), **kwargs)
    return failure.value.errors


def test_example_census_imports_child_enquiry_plan_and_conferences() -> None:
    summary = import_cin(files(census()))

    assert summary == {
        "children": {"added": 1, "updated": 0},
        "s47_enquiries": {"added": 1, "updated": 0},
        "cp_plans": {"added": 1, "updated": 0},
        "icpcs": {"added": 1, "updated": 0},
        "rcpcs": {"added": 2, "updated": 0, "removed": 0},
    }
    child = Child.objects.get(la_child_id="FAKE0001")
    assert (child.date_of_birth, child.sex, child.ethnicity) == (date(2021, 6, 14), "F", "WBRI")
    assert (child.upn, child.disability, child.full_name) == ("UN1", False, "Child FAKE0001")
    enquiry = S47Enquiry.objects.get(child=child)
    assert enquiry.start_date == date(2024, 4, 10)
    assert enquiry.icpc_date == enquiry.end_date == date(2024, 4, 30)
    # CP-1 from the s47 start (no strategy discussion known): 15 WD -> 1 May 2024, the
    # file's own InitialCPCtarget.
    assert enquiry.icpc_due == date(2024, 5, 1)
    plan = ChildProtectionPlan.objects.get(child=child)
    assert (plan.start_date, plan.end_date) == (date(2024, 4, 30), date(2025, 1, 16))
    assert (plan.initial_categories, plan.latest_categories, plan.previous_plans) == (
        ["NEG"],
        ["NEG"],
        0,
    )


def test_imported_conferences_are_held_imported_and_clocked_like_recorded_ones() -> None:
    import_cin(files(census()))

    icpc, first, second = Conference.objects.order_by("held_on")
    assert {c.source for c in (icpc, first, second)} == {RecordSource.IMPORTED}
    assert {c.status for c in (icpc, first, second)} == {Conference.Status.HELD}
    assert (icpc.conference_type, icpc.held_on, icpc.rule_id) == ("icpc", date(2024, 4, 30), "CP-1")
    assert (icpc.clock_start, icpc.original_due_date) == (date(2024, 4, 10), date(2024, 5, 1))
    assert icpc.s47_enquiry is not None and icpc.cp_plan is not None
    assert icpc.decision == Conference.Decision.PLAN
    # CP-6: ICPC 30/04/2024 + 3 months = 30/07/2024; CP-7: previous review + 6 months.
    assert (first.rule_id, first.original_due_date) == ("CP-6", date(2024, 7, 30))
    assert (second.rule_id, second.clock_start) == ("CP-7", date(2024, 7, 25))
    assert second.original_due_date == date(2025, 1, 25)
    assert (first.decision, second.decision) == ("continue", "end")
    assert Conference.history.count() == 3


def test_reimporting_the_same_file_changes_nothing() -> None:
    import_cin(files(census()))
    history = (S47Enquiry.history.count(), Conference.history.count(), Child.history.count())

    summary = import_cin(files(census()))

    assert not any(any(counts.values()) for counts in summary.values())
    assert (S47Enquiry.history.count(), Conference.history.count(), Child.history.count()) == (
        history
    )
    assert Conference.objects.count() == 3


def test_corrected_file_updates_matched_rows_in_place() -> None:
    import_cin(files(census()))

    summary = import_cin(
        files(
            census(
                **{
                    "<LatestCategoryOfAbuse>NEG": "<LatestCategoryOfAbuse>PHY",
                    "<Ethnicity>WBRI": "<Ethnicity>WOTH",
                }
            )
        )
    )

    assert summary["cp_plans"] == {"added": 0, "updated": 1}
    assert summary["children"] == {"added": 0, "updated": 1}
    assert ChildProtectionPlan.objects.get().latest_categories == ["PHY"]
    assert ChildProtectionPlan.objects.count() == 1


LATER = {
    "<Year>2025": "<Year>2026",
    "<ReferenceDate>2025-03-31": "<ReferenceDate>2026-03-31",
    "<CINreferralDate>2024-04-08": "<CINreferralDate>2025-04-28",
    "<S47ActualStartDate>2024-04-10": "<S47ActualStartDate>2025-05-01",
    "<DateOfInitialCPC>2024-04-30": "<DateOfInitialCPC>2025-05-20",
    "<CPPstartDate>2024-04-30": "<CPPstartDate>2025-05-20",
    "<CPPendDate>2025-01-16</CPPendDate>": "",
    "<LatestCategoryOfAbuse>NEG": "<LatestCategoryOfAbuse>PHY",
    "<NumberOfPreviousCPP>0": "<NumberOfPreviousCPP>1",
    "<CPPreviewDate>2024-07-25</CPPreviewDate>": "<CPPreviewDate>2025-08-14</CPPreviewDate>",
    "<CPPreviewDate>2025-01-16</CPPreviewDate>": "",
}


def test_later_census_extends_the_child_record() -> None:
    import_cin(files(census()))

    summary = import_cin(files(census(**LATER)), year=2025)

    assert summary["children"] == NOTHING
    assert summary["s47_enquiries"] == {"added": 1, "updated": 0}
    assert summary["cp_plans"] == {"added": 1, "updated": 0}
    assert summary["rcpcs"] == {"added": 1, "updated": 0, "removed": 0}
    first, second = ChildProtectionPlan.objects.order_by("start_date")
    assert first.end_date == date(2025, 1, 16)
    assert (second.start_date, second.end_date, second.previous_plans) == (
        date(2025, 5, 20),
        None,
        1,
    )
    assert Conference.objects.filter(conference_type="rcpc").count() == 3


def test_reviews_in_one_wrapper_per_date_are_all_collected() -> None:
    data = census(
        **{
            "</CPPreviewDate>\n            <CPPreviewDate>": (
                "</CPPreviewDate>\n          </Reviews>\n          <Reviews>\n"
                "            <CPPreviewDate>"
            )
        }
    )

    summary = import_cin(files(data))

    assert summary["rcpcs"] == {"added": 2, "updated": 0, "removed": 0}


def test_validation_errors_name_file_line_element_rule_and_child() -> None:
    # DATA-FORMATS.md 2.6: plan not on an ICPC date (2885), ICPC on a Saturday (8875).
    data = census(
        **{
            "<CPPstartDate>2024-04-30": "<CPPstartDate>2024-05-02",
            "<DateOfInitialCPC>2024-04-30": "<DateOfInitialCPC>2024-04-27",
        }
    )

    errors = _errors(data)

    found = {(e.rule, e.column, e.row) for e in errors}
    assert ("CIN-8875", "DateOfInitialCPC", 50) in found
    assert ("CIN-2885", "CPPstartDate", 55) in found
    assert all(e.file == "CIN_Census_2025.xml" for e in errors)
    assert all(e.message.startswith("Child FAKE0001: ") for e in errors)
    assert not Child.objects.exists()


def test_every_problem_is_reported_and_nothing_is_written() -> None:
    second_child = census().decode().split("<Children>")[1].split("</Children>")[0]
    bad = second_child.replace("FAKE0001", "FAKE0002").replace(
        "<PersonBirthDate>2021-06-14", "<PersonBirthDate>2021-13-14"
    )
    bad = bad.replace("<InitialCategoryOfAbuse>NEG", "<InitialCategoryOfAbuse>XYZ")
    data = census(**{"</Children>": bad + "</Children>"})

    errors = _errors(data)

    assert {(e.rule, e.column) for e in errors} >= {
        ("APP-CIN-DATE", "PersonBirthDate"),
        ("CIN-8905", "InitialCategoryOfAbuse"),
    }
    assert all("FAKE0002" in e.message for e in errors)
    assert not Child.objects.exists() and not Conference.objects.exists()


@pytest.mark.parametrize(
    ("replacements", "rule"),
    [
        ({"<ReferenceDate>2025-03-31": "<ReferenceDate>2025-03-30"}, "CIN-100"),
        ({"<Collection>CIN": "<Collection>SSDA903"}, "APP-CIN-FILE"),
        ({"<LAchildID>FAKE0001": "<LAchildID>FAKE 0001"}, "CIN-1570"),
        ({"<Sex>F": "<Sex>X"}, "CIN-4180"),
        ({"<CPPendDate>2025-01-16": "<CPPendDate>2025-04-16"}, "CIN-8930"),
        ({"<CPPreviewDate>2024-07-25": "<CPPreviewDate>2024-04-30"}, "CIN-8841"),
        ({"<ReferralNFA>0": "<ReferralNFA>1"}, "CIN-8832"),
        ({"<ICPCnotRequired>0": "<ICPCnotRequired>maybe"}, "APP-CIN-FLAG"),
        ({"</Message>": "</Message"}, "APP-CIN-XML"),
    ],
)
def test_national_rules_are_enforced(replacements: dict[str, str], rule: str) -> None:
    assert rule in {error.rule for error in _errors(census(**replacements))}


def test_year_chosen_must_match_the_file() -> None:
    errors = _errors(census(), year=2023)

    assert [(e.rule, e.column) for e in errors] == [("APP-CIN-YEAR", "Year")]


def test_entities_are_refused() -> None:
    data = census(
        **{
            '<?xml version="1.0" encoding="UTF-8"?>': (
                '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x "boom">]>'
            )
        }
    )

    assert [e.rule for e in _errors(data)] == ["APP-CIN-XML"]


def test_plan_overlapping_one_recorded_in_the_service_is_refused(people: dict) -> None:
    child = ChildFactory(la_child_id="FAKE0001", date_of_birth=date(2021, 6, 14))
    ChildProtectionPlan.objects.create(
        child=child,
        start_date=date(2024, 6, 3),
        initial_categories=["EMO"],
        latest_categories=["EMO"],
    )

    errors = _errors(census())

    assert {e.rule for e in errors} == {"APP-CIN-HELD-PLANS"}
    assert "already held in the service" in errors[0].message
    assert not S47Enquiry.objects.exists()


def test_an_earlier_census_does_not_reopen_a_plan_ended_since() -> None:
    child = ChildFactory(la_child_id="FAKE0001", date_of_birth=date(2021, 6, 14))
    ChildProtectionPlan.objects.create(
        child=child,
        start_date=date(2024, 4, 30),
        end_date=date(2025, 6, 2),
        initial_categories=["NEG"],
        latest_categories=["NEG"],
    )
    data = census(
        **{
            "<CPPendDate>2025-01-16</CPPendDate>": "",
            "<CPPreviewDate>2025-01-16</CPPreviewDate>": "",
        }
    )

    summary = import_cin(files(data))

    assert summary["cp_plans"] == NOTHING
    assert ChildProtectionPlan.objects.get().end_date == date(2025, 6, 2)


def test_recorded_conference_on_the_same_day_is_left_alone() -> None:
    child = ChildFactory(la_child_id="FAKE0001", date_of_birth=date(2021, 6, 14))
    recorded = Conference.objects.create(
        child=child,
        conference_type=Conference.Type.ICPC,
        status=Conference.Status.HELD,
        held_on=date(2024, 4, 30),
        rule_id="CP-1",
        clock_start=date(2024, 4, 9),
        original_due_date=date(2024, 4, 30),
    )

    summary = import_cin(files(census()))

    assert summary["icpcs"] == NOTHING
    recorded.refresh_from_db()
    assert (recorded.source, recorded.clock_start) == (RecordSource.RECORDED, date(2024, 4, 9))


def test_command_imports_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "CIN_Census_2025.xml"
    path.write_bytes(census())
    out = StringIO()

    call_command("import_cin", str(path), stdout=out)

    assert "children: 1 added, 0 updated" in out.getvalue()
    assert "rcpcs: 2 added" in out.getvalue()


def test_command_lists_every_error_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(census(**{"<Sex>F": "<Sex>X"}))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_cin", str(path), stdout=StringIO(), stderr=err)

    assert "bad.xml, line 24, Sex: [CIN-4180]" in err.getvalue()


def test_review_no_longer_in_a_corrected_file_is_withdrawn_and_the_series_reclocked() -> None:
    import_cin(files(census()))

    summary = import_cin(files(census(**{"<CPPreviewDate>2024-07-25</CPPreviewDate>": ""})))

    assert summary["rcpcs"] == {"added": 0, "updated": 1, "removed": 1}
    withdrawn = Conference.objects.get(held_on=date(2024, 7, 25))
    assert withdrawn.status == Conference.Status.CANCELLED
    remaining = Conference.objects.get(held_on=date(2025, 1, 16))
    # Now the first review: CP-6, ICPC 30/04/2024 + 3 months.
    assert (remaining.rule_id, remaining.original_due_date) == ("CP-6", date(2024, 7, 30))


def _without_plan(data: bytes) -> bytes:
    text = data.decode()
    start, end = text.index("<ChildProtectionPlans>"), text.index("</CINdetails>")
    return (text[:start] + text[end:]).encode()


def test_corrected_icpc_date_moves_the_imported_conference() -> None:
    import_cin(files(_without_plan(census())))

    summary = import_cin(
        files(
            _without_plan(
                census(**{"<DateOfInitialCPC>2024-04-30": "<DateOfInitialCPC>2024-04-29"})
            )
        )
    )

    assert summary["icpcs"] == {"added": 0, "updated": 1}
    conference = Conference.objects.get()
    assert (conference.held_on, conference.decision) == (date(2024, 4, 29), "no_plan")
    assert S47Enquiry.objects.get().icpc_date == date(2024, 4, 29)
