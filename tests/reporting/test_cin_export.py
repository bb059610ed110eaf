"""The CIN census export (issue 9; DATA-FORMATS.md 2.2 and 5.2.2): element order, dates,
access (restricted children), logging, and the round trip export -> import."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from children.models import Child, ChildEvent, ChildProtectionPlan, S47Enquiry
from conferences.models import Conference
from people.models import User
from reporting.annual import annual_metrics
from reporting.exports.cin import cin_census_xml
from reporting.imports.cin import import_cin
from reporting.imports.cin_read import parse_xml
from reporting.imports.strategy import import_strategy_discussions
from tests.factories import ChildFactory
from tests.reporting.cin_samples import census, files
from timescales.services import due_date_for

pytestmark = pytest.mark.django_db

AT = datetime(2025, 4, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))

# The DATA-FORMATS.md 2.6 example as the service writes it back: what it does not hold
# (assessments, CIN plan, referral source and need) is unknown, the referral is the
# earliest date it holds, the target is the CP-1 due date.
GOLDEN = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2025</Year>
      <ReferenceDate>2025-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>999</LEA>
      <SoftwareCode>IRO-APP</SoftwareCode>
      <Release>1.0.0</Release>
      <SerialNo>001</SerialNo>
      <DateTime>2025-04-02T09:30:00</DateTime>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>FAKE0001</LAchildID>
        <UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2021-06-14</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-04-10</CINreferralDate>
        <ReferralSource>10</ReferralSource>
        <PrimaryNeedCode>N0</PrimaryNeedCode>
        <Section47>
          <S47ActualStartDate>2024-04-10</S47ActualStartDate>
          <InitialCPCtarget>2024-05-01</InitialCPCtarget>
          <DateOfInitialCPC>2024-04-30</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2024-04-30</CPPstartDate>
          <CPPendDate>2025-01-16</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2024-07-25</CPPreviewDate>
            <CPPreviewDate>2025-01-16</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def _held(child: Child, kind: str, day: date, **fields: object) -> Conference:
    return Conference.objects.create(
        child=child,
        conference_type=kind,
        status=Conference.Status.HELD,
        held_on=day,
        rule_id=fields.pop("rule_id", "CP-1"),
        clock_start=fields.pop("clock_start", day),
        original_due_date=fields.pop("original_due_date", day),
        **fields,
    )


def _plan(child: Child, start: date, end: date | None = None, **fields: object):
    return ChildProtectionPlan.objects.create(
        child=child,
        start_date=start,
        end_date=end,
        initial_categories=fields.pop("initial", ["NEG"]),
        latest_categories=fields.pop("latest", ["NEG"]),
        **fields,
    )


def test_export_writes_the_census_tree_in_schema_order(people: dict[str, User]) -> None:
    import_cin(files(census()))

    exported = cin_census_xml(year=2024, user=people["mandy"], now=AT)

    assert exported.content.decode("utf-8") == GOLDEN
    assert (exported.filename, exported.rows) == ("CIN_Census_2025.xml", 1)


def test_several_categories_are_written_as_mul_and_later_dates_left_out(
    people: dict[str, User],
) -> None:
    child = ChildFactory(la_child_id="C1", date_of_birth=date(2015, 1, 1))
    enquiry = S47Enquiry.objects.create(
        child=child, start_date=date(2025, 3, 3), icpc_due=date(2025, 3, 24)
    )
    enquiry.icpc_date = date(2025, 4, 2)  # held after the reference date: open then
    enquiry.save()
    plan = _plan(child, date(2024, 10, 1), date(2025, 5, 1), latest=["NEG", "PHY"])
    _held(child, "rcpc", date(2025, 1, 6), cp_plan=plan)
    _held(child, "rcpc", date(2025, 4, 28), cp_plan=plan)

    root = parse_xml(cin_census_xml(year=2024, user=people["mandy"]).content)

    details = root.find("Children").find("Child").find("CINdetails")
    section = details.find("Section47")
    assert [n.tag for n in section.children] == [
        "S47ActualStartDate",
        "InitialCPCtarget",
        "ICPCnotRequired",
    ]
    plan_node = details.find("ChildProtectionPlans")
    assert plan_node.find("CPPendDate") is None
    assert plan_node.find("LatestCategoryOfAbuse").text == "MUL"
    assert [n.text for n in plan_node.find("Reviews").children] == ["2025-01-06"]
    assert details.find("CINreferralDate").text == "2024-10-01"


def test_transfer_in_conference_is_written_on_the_cin_details(people: dict[str, User]) -> None:
    child = ChildFactory(la_child_id="T1", date_of_birth=date(2016, 2, 2), sex="M")
    plan = _plan(child, date(2024, 9, 10))
    _held(child, "icpc", date(2024, 9, 10), cp_plan=plan)

    root = parse_xml(cin_census_xml(year=2024, user=people["mandy"]).content)

    details = root.find("Children").find("Child").find("CINdetails")
    assert details.find("DateOfInitialCPC").text == "2024-09-10"
    assert details.find("Section47") is None


def test_sex_is_gender_current_before_2024_25(people: dict[str, User]) -> None:
    child = ChildFactory(la_child_id="G1", sex="M")
    _plan(child, date(2023, 5, 1))

    root = parse_xml(cin_census_xml(year=2023, user=people["mandy"]).content)

    identifiers = root.find("Children").find("Child").find("ChildIdentifiers")
    assert identifiers.find("Sex") is None
    assert identifiers.find("GenderCurrent").text == "1"


def test_restricted_child_only_for_its_allow_list(people: dict[str, User]) -> None:
    hidden = ChildFactory(la_child_id="SECRET1", restricted=True)
    hidden.allowed_users.add(people["bob"])
    _plan(hidden, date(2024, 5, 1))
    shown = ChildFactory(la_child_id="OPEN1")
    _plan(shown, date(2024, 5, 1))

    for_mandy = cin_census_xml(year=2024, user=people["mandy"])
    for_bob = cin_census_xml(year=2024, user=people["bob"])

    assert b"SECRET1" not in for_mandy.content and b"OPEN1" in for_mandy.content
    assert b"SECRET1" in for_bob.content and for_bob.rows == 2
    assert cin_census_xml(year=2024, user=people["charlie"]).rows == 0


def test_export_from_the_registry_is_logged(people: dict[str, User]) -> None:
    from reporting.exports import EXPORTS
    from reporting.exports.base import export_run
    from reporting.models import ExportRecord

    _plan(ChildFactory(la_child_id="L1"), date(2024, 5, 1))

    produced = export_run(export=EXPORTS["cin"], year=2024, file_format="xml", by=people["mandy"])

    record = ExportRecord.objects.get()
    assert (record.by, record.export, record.year, record.rows) == (people["mandy"], "cin", 2024, 1)
    assert record.file_format == "xml" and produced.rows == 1


def _snapshot() -> dict[str, set]:
    return {
        "s47": set(
            S47Enquiry.objects.values_list(
                "child__la_child_id", "start_date", "icpc_date", "icpc_not_required"
            )
        ),
        "plans": {
            (
                p.child.la_child_id,
                p.start_date,
                p.end_date,
                p.initial_category_code,
                p.latest_category_code,
                p.previous_plans,
            )
            for p in ChildProtectionPlan.objects.select_related("child")
        },
        "conferences": set(
            Conference.objects.filter(status="held").values_list(
                "child__la_child_id", "conference_type", "held_on", "rule_id", "original_due_date"
            )
        ),
    }


def _cp_metrics() -> dict[str, object]:
    """Every child protection figure of the annual report for 2024-25 (the `cp_*`, `icpc_*`
    and `rcpc_*` keys of ANNUAL-REPORT-METRICS.md)."""
    return {
        key: value
        for key, value in annual_metrics(2024).items()
        if key.startswith(("cp_", "icpc_", "rcpc_"))
    }


def _empty_database() -> None:
    Conference.objects.all().delete()
    ChildProtectionPlan.objects.all().delete()
    S47Enquiry.objects.all().delete()
    ChildEvent.objects.all().delete()
    Child.objects.all().delete()


def test_round_trip_gives_the_same_enquiries_plans_and_conferences(
    people: dict[str, User],
) -> None:
    # A: strategy discussion -> s47 -> ICPC -> plan, reviewed twice (CP-6 then CP-7),
    # still open on 31 March.
    a = ChildFactory(la_child_id="RT1", date_of_birth=date(2014, 3, 3))
    enquiry = S47Enquiry.objects.create(
        child=a,
        strategy_discussion_date=date(2024, 5, 3),
        start_date=date(2024, 5, 7),
        icpc_due=due_date_for("CP-1", date(2024, 5, 3)),
        icpc_date=date(2024, 5, 23),
    )
    plan = _plan(a, date(2024, 5, 23), initial=["EMO", "NEG"], previous_plans=1)
    _held(a, "icpc", date(2024, 5, 23), s47_enquiry=enquiry, cp_plan=plan,
          clock_start=date(2024, 5, 3), original_due_date=enquiry.icpc_due)  # fmt: skip
    _held(a, "rcpc", date(2024, 8, 20), cp_plan=plan, rule_id="CP-6",
          clock_start=date(2024, 5, 23), original_due_date=date(2024, 8, 23))  # fmt: skip
    _held(a, "rcpc", date(2025, 2, 25), cp_plan=plan, rule_id="CP-7",
          clock_start=date(2024, 8, 20), original_due_date=date(2025, 2, 20))  # fmt: skip
    # B: an enquiry that needed no conference, and one still open at 31 March.
    b = ChildFactory(la_child_id="RT2", date_of_birth=date(2019, 9, 9), sex="M")
    S47Enquiry.objects.create(
        child=b,
        start_date=date(2024, 6, 3),
        icpc_due=due_date_for("CP-1", date(2024, 6, 3)),
        icpc_not_required=True,
    )
    S47Enquiry.objects.create(
        child=b, start_date=date(2025, 3, 20), icpc_due=due_date_for("CP-1", date(2025, 3, 20))
    )
    # C: a transfer-in ICPC (no enquiry) starting a plan that ended at a review.
    c = ChildFactory(la_child_id="RT3", date_of_birth=date(2010, 1, 1))
    plan_c = _plan(c, date(2024, 4, 16), date(2024, 7, 16), latest=["PHY"])
    _held(c, "icpc", date(2024, 4, 16), cp_plan=plan_c,
          original_due_date=due_date_for("CP-1", date(2024, 4, 16)))  # fmt: skip
    _held(c, "rcpc", date(2024, 7, 16), cp_plan=plan_c, rule_id="CP-6",
          clock_start=date(2024, 4, 16), original_due_date=date(2024, 7, 16))  # fmt: skip
    before, metrics = _snapshot(), _cp_metrics()
    assert len(metrics) == 17 and metrics["icpc_held"] and metrics["rcpc_held"]
    exported = cin_census_xml(year=2024, user=people["mandy"], now=AT)

    _empty_database()
    import_cin(files(exported.content), year=2024)
    # The census has no strategy discussion date: the council's CSV brings it back.
    strategy = (
        b"CHILD,S47_START,STRATEGY_DATE,ICPC_DATE\r\nRT1,2024-05-07,2024-05-03,2024-05-23\r\n"
    )
    import_strategy_discussions({"strategy.csv": strategy})

    after = _snapshot()
    assert after["s47"] == before["s47"]
    assert after["plans"] == before["plans"]
    assert after["conferences"] == before["conferences"]
    assert _cp_metrics() == metrics
    assert cin_census_xml(year=2024, user=people["mandy"], now=AT).content == exported.content


def test_export_queries_do_not_grow_with_children(
    people: dict[str, User], django_assert_max_num_queries
) -> None:
    for n in range(5):
        child = ChildFactory(la_child_id=f"N{n}")
        enquiry = S47Enquiry.objects.create(
            child=child, start_date=date(2024, 6, 3), icpc_due=date(2024, 6, 24)
        )
        enquiry.icpc_date = date(2024, 6, 20)
        enquiry.save()
        plan = _plan(child, date(2024, 6, 20))
        _held(child, "icpc", date(2024, 6, 20), s47_enquiry=enquiry, cp_plan=plan)
        _held(child, "rcpc", date(2024, 9, 12), cp_plan=plan)

    with django_assert_max_num_queries(6):
        assert cin_census_xml(year=2024, user=people["mandy"]).rows == 5
