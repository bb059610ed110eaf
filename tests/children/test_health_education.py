"""Health assessments (H-1, H-2) and personal education plans (E-1) on the child's record:
the services keep the next due dates on the period of care; the child page shows them;
the API lists them, scoped."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from children import services
from children.models import ChildEvent, HealthAssessment, PeriodOfCare, PersonalEducationPlan
from children.rules import EpisodeValues
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.forms import date_input_data
from tests.children.test_query_counts import count_queries
from tests.factories import ChildFactory
from timescales.models import DueDateChange
from timescales.services import extra_non_working_day_add, local_rule_value_set

pytestmark = pytest.mark.django_db

# Mon 2 Jun 2025: H-1 (20 WD) is due Mon 30 Jun, E-1 (10 WD) Mon 16 Jun.
START = date(2025, 6, 2)


def looked_after(child, people, start: date = START) -> PeriodOfCare:
    services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    return child.periods_of_care.get(start_date=start)


def clocks(period: PeriodOfCare) -> tuple:
    period.refresh_from_db()
    return (
        period.health_assessment_rule,
        period.health_assessment_clock_start,
        period.health_assessment_due,
        period.pep_rule,
        period.pep_clock_start,
        period.pep_due,
    )


# --- Services --------------------------------------------------------------------------


def test_a_new_period_of_care_starts_the_h1_and_e1_clocks(child, people):
    period = looked_after(child, people)
    assert clocks(period) == ("H-1", START, date(2025, 6, 30), "E-1", START, date(2025, 6, 16))


def test_the_first_assessment_is_the_initial_one_and_starts_h2(child, people):
    period = looked_after(child, people)
    first = services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    assert (first.kind, first.rule_id, first.due_date, first.on_time) == (
        "initial",
        "H-1",
        date(2025, 6, 30),
        True,
    )
    # Born 1 Jun 2015: 10 on the day, so the review assessment is 12 months on (H-2).
    assert clocks(period)[:3] == ("H-2", date(2025, 6, 25), date(2026, 6, 25))
    second = services.health_assessment_record(
        child=child, completed_on=date(2026, 7, 1), by=people["sarah"]
    )
    assert (second.kind, second.rule_id, second.due_date, second.on_time) == (
        "review",
        "H-2",
        date(2026, 6, 25),
        False,
    )
    assert clocks(period)[:3] == ("H-2", date(2026, 7, 1), date(2027, 7, 1))
    summaries = list(ChildEvent.objects.filter(child=child, kind="health").values_list("summary"))
    assert summaries == [("Review health assessment",), ("Initial health assessment",)]
    assert first.history.count() == 1


def test_a_backdated_assessment_renumbers_the_later_ones(child, people):
    period = looked_after(child, people)
    later = services.health_assessment_record(
        child=child, completed_on=date(2025, 9, 1), by=people["sarah"]
    )
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 20), by=people["sarah"]
    )
    later.refresh_from_db()
    assert (later.kind, later.rule_id, later.due_date) == ("review", "H-2", date(2026, 6, 20))
    assert later.history.count() == 2  # created, then renumbered
    assert clocks(period)[2] == date(2026, 9, 1)


def test_under_fives_are_assessed_every_six_months_and_a_birth_date_change_moves_it(people, org):
    child = ChildFactory(team=org["team"], date_of_birth=date(2022, 1, 10))
    period = looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    assert clocks(period)[:3] == ("H-2-UNDER-5", date(2025, 6, 25), date(2025, 12, 25))
    services.child_update(child=child, by=people["sarah"], date_of_birth=date(2019, 1, 10))
    assert clocks(period)[:3] == ("H-2", date(2025, 6, 25), date(2026, 6, 25))


def test_peps_start_e1_then_the_termly_review(child, people):
    period = looked_after(child, people)
    first = services.pep_record(child=child, completed_on=date(2025, 6, 20), by=people["sarah"])
    assert (first.kind, first.rule_id, first.due_date, first.on_time) == (
        "initial",
        "E-1",
        date(2025, 6, 16),
        False,
    )
    assert clocks(period)[3:] == ("E-1-REVIEW", date(2025, 6, 20), date(2025, 10, 20))
    services.pep_record(child=child, completed_on=date(2025, 10, 1), by=people["betty"])
    assert clocks(period)[3:] == ("E-1-REVIEW", date(2025, 10, 1), date(2026, 2, 1))
    assert list(
        ChildEvent.objects.filter(child=child, kind="education").values_list("summary", flat=True)
    ) == ["PEP review", "Personal education plan"]


def test_a_new_period_of_care_restarts_both_clocks(child, people):
    first = looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    services.episode_cease(child=child, dec=date(2025, 8, 1), rec="E11", by=people["betty"])
    second = looked_after(child, people, start=date(2025, 9, 1))
    assert clocks(second)[0] == "H-1"
    assessment = services.health_assessment_record(
        child=child, completed_on=date(2025, 9, 10), by=people["sarah"]
    )
    assert (assessment.period_id, assessment.kind) == (second.pk, "initial")
    assert clocks(first)[:3] == ("H-2", date(2025, 6, 25), date(2026, 6, 25))


def test_a_new_bank_holiday_moves_the_next_due_date_of_an_open_period(child, people):
    period = looked_after(child, people)
    extra_non_working_day_add(day=date(2025, 6, 10), description="One-off", by=people["mandy"])
    assert clocks(period)[2] == date(2025, 7, 1)  # H-1: one more working day
    assert clocks(period)[5] == date(2025, 6, 17)  # E-1


@pytest.mark.parametrize(
    ("completed_on", "message"),
    [
        (date(2025, 5, 1), "The child was not looked after on 01 May 2025."),
        (date(2099, 1, 1), "The date cannot be in the future"),
    ],
)
def test_dates_outside_care_or_in_the_future_are_refused(child, people, completed_on, message):
    looked_after(child, people)
    with pytest.raises(RuleViolation, match=message) as refused:
        services.health_assessment_record(
            child=child, completed_on=completed_on, by=people["sarah"]
        )
    assert refused.value.field == "completed_on"


def test_the_same_date_twice_is_refused(child, people):
    looked_after(child, people)
    services.pep_record(child=child, completed_on=date(2025, 6, 20), by=people["sarah"])
    with pytest.raises(RuleViolation, match="A PEP on 20 June 2025 is already recorded"):
        services.pep_record(child=child, completed_on=date(2025, 6, 20), by=people["sarah"])


@pytest.mark.parametrize("name", ["alice", "charlie", "helen"])
def test_only_those_who_keep_the_record_may_record_dates(child, people, name):
    looked_after(child, people)
    with pytest.raises(NotPermitted):
        services.health_assessment_record(
            child=child, completed_on=date(2025, 6, 25), by=people[name]
        )
    assert not HealthAssessment.objects.exists()


# --- PEPs from the starting age (E-1-FROM-AGE) until E-1-END-AGE -------------------------

# Born Tue 10 Jan 2023: 2 on becoming looked after; 3 on Sat 10 Jan 2026, so E-1's 10 WD
# run Mon 12 Jan (day 1) to Fri 23 Jan 2026.
TODDLER_BORN = date(2023, 1, 10)
TODDLER_PEP = ("E-1", date(2026, 1, 10), date(2026, 1, 23))


def test_a_child_under_3_gets_the_pep_due_from_the_3rd_birthday_when_the_period_opens(people, org):
    child = ChildFactory(team=org["team"], date_of_birth=TODDLER_BORN)
    period = looked_after(child, people)
    # Stored when the period opened, from the stored dates: nothing has to run on the day
    # the child turns 3 for the PEP to fall due.
    assert clocks(period)[3:] == TODDLER_PEP
    assert clocks(period)[:3] == ("H-1", START, date(2025, 6, 30))
    # An early-years PEP before the birthday is recorded, but does not stand for the first.
    early = services.pep_record(child=child, completed_on=date(2025, 9, 1), by=people["sarah"])
    assert (early.kind, early.rule_id, early.due_date, early.on_time) == (
        "initial",
        "E-1",
        date(2026, 1, 23),
        True,
    )
    assert clocks(period)[3:] == TODDLER_PEP
    first = services.pep_record(child=child, completed_on=date(2026, 1, 20), by=people["sarah"])
    assert (first.rule_id, first.due_date, first.on_time) == ("E-1", date(2026, 1, 23), True)
    assert clocks(period)[3:] == ("E-1-REVIEW", date(2026, 1, 20), date(2026, 5, 20))


def test_a_new_starting_age_moves_the_first_pep_of_an_open_period(people, org):
    child = ChildFactory(team=org["team"], date_of_birth=TODDLER_BORN)
    period = looked_after(child, people)
    _, moved = local_rule_value_set(
        rule_id="E-1-FROM-AGE",
        amount=2,
        effective_from=date(2025, 1, 1),
        reason="Virtual school PEPs from age 2",
        by=people["mandy"],
    )
    # 2 on 10 Jan 2025, before becoming looked after: E-1 runs from the period's start.
    assert moved == 1
    assert clocks(period)[3:] == ("E-1", START, date(2025, 6, 16))
    change = DueDateChange.objects.get(subject=f"children.periodofcare:{period.pk}:pep_due")
    assert (change.old_due, change.new_due) == (date(2026, 1, 23), date(2025, 6, 16))


@time_machine.travel(date(2025, 7, 1), tick=False)
def test_a_child_in_care_before_birth_gains_the_pep_clock_when_the_birth_is_recorded(people, org):
    child = ChildFactory(
        team=org["team"], date_of_birth=None, expected_date_of_birth=date(2025, 6, 20)
    )
    period = looked_after(child, people)
    assert clocks(period)[3:] == ("", None, None)  # no date of birth, no PEP
    services.record_birth(child=child, date_of_birth=date(2025, 6, 18), by=people["sarah"])
    # 3 on Sun 18 Jun 2028: 10 WD are Mon 19 to Fri 30 Jun 2028.
    assert clocks(period)[3:] == ("E-1", date(2028, 6, 18), date(2028, 6, 30))


def test_no_pep_falls_due_from_the_18th_birthday_and_one_recorded_then_met_nothing(people, org):
    child = ChildFactory(team=org["team"], date_of_birth=date(2007, 8, 1))
    period = looked_after(child, people)
    assert clocks(period)[3:] == ("E-1", START, date(2025, 6, 16))  # 18 on 1 Aug 2025
    services.pep_record(child=child, completed_on=date(2025, 6, 10), by=people["sarah"])
    assert clocks(period)[3:] == ("", None, None)  # a review would be due on 10 Oct 2025
    extra = services.pep_record(child=child, completed_on=date(2025, 7, 1), by=people["sarah"])
    assert (extra.kind, extra.rule_id, extra.due_date, extra.on_time) == (
        "review",
        "",
        None,
        True,
    )
    with time_machine.travel(date(2025, 7, 15), tick=False):
        section = _section(client_for(people["alice"]), child)
    assert "1 July 2025 (review; none was due)" in section
    assert "Not needed: PEPs end at age 18" in section


# --- The child page --------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(date(2025, 11, 3), tick=False)
def test_the_child_page_shows_last_and_next_with_the_shared_badge(child, people):
    looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    services.pep_record(child=child, completed_on=date(2025, 6, 20), by=people["sarah"])
    page = client_for(people["alice"]).get(reverse("children:detail", args=[child.pk]))
    html = page.content.decode()
    section = html[html.index('id="health-and-education"') : html.index('id="timeline"')]
    assert "25 June 2025 (initial; due by 30 June 2025)" in section
    assert "Met" in section
    assert "20 June 2025 (initial; due by 16 June 2025)" in section
    assert "Late by 4 working days" in section
    assert "25 June 2026" in section and "Upcoming" in section
    # The next PEP was due by 20 October 2025 (E-1-REVIEW): overdue on 3 November.
    assert "20 October 2025" in section
    assert "Overdue by 14 days" in section  # a months rule counts calendar days
    # Alice (the IRO) reads it; recording is for those who keep the child's record.
    assert "Record a health assessment" not in section
    sarah_page = client_for(people["sarah"]).get(reverse("children:detail", args=[child.pk]))
    assert "Record a health assessment" in sarah_page.content.decode()


def _section(client: Client, child) -> str:
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    return html[html.index('id="health-and-education"') : html.index('id="timeline"')]


def _pep_next(section: str) -> str:
    """The "Next PEP due" row's value."""
    row = section[section.index("Next PEP due") :]
    return row[: row.index("</dd>")]


@time_machine.travel(date(2025, 11, 3), tick=False)
def test_the_child_page_says_a_pep_is_not_needed_yet_for_a_child_under_3(people, org):
    child = ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=TODDLER_BORN,
    )
    looked_after(child, people)
    pep = _pep_next(_section(client_for(people["alice"]), child))
    assert "Not needed yet: PEPs start at age 3" in pep
    assert "The first is due by 23 January 2026" in pep
    assert "moj-badge" not in pep
    # The health assessment is still overdue: H-1 applies at any age.
    assert "Overdue by" in _section(client_for(people["alice"]), child).split("Next PEP due")[0]


@time_machine.travel(date(2026, 1, 26), tick=False)
def test_once_the_child_is_3_the_stored_pep_due_date_shows_overdue(people, org):
    child = ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=TODDLER_BORN,
    )
    looked_after(child, people)
    pep = _pep_next(_section(client_for(people["alice"]), child))
    assert "Not needed" not in pep
    assert "23 January 2026" in pep and "Overdue by 1 working day" in pep


def test_the_child_page_says_when_nothing_is_recorded(child, people):
    html = client_for(people["sarah"]).get(reverse("children:detail", args=[child.pk]))
    section = html.content.decode().split('id="health-and-education"')[1].split("</dl>")[0]
    assert section.count("Not recorded") == 2
    assert section.count("Not looked after") == 2


def test_recording_a_health_assessment_from_the_page(child, people):
    period = looked_after(child, people)
    url = reverse("children:health-assessment-add", args=[child.pk])
    client = client_for(people["sarah"])
    assert client.get(url).status_code == 200
    response = client.post(url, date_input_data("completed_on", date(2025, 6, 25)))
    assert response.status_code == 302
    assert response["Location"].endswith("#health-and-education")
    assert clocks(period)[:3] == ("H-2", date(2025, 6, 25), date(2026, 6, 25))


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Enter the date the PEP or PEP review was completed"),
        (
            {"completed_on_day": "30", "completed_on_month": "2", "completed_on_year": "2025"},
            "Date the PEP or PEP review was completed must be a real date",
        ),
        (
            date_input_data("completed_on", date(2025, 5, 1)),
            "The child was not looked after on 01 May 2025",
        ),
    ],
)
def test_a_bad_date_is_explained_on_the_form(child, people, posted, message):
    looked_after(child, people)
    response = client_for(people["sarah"]).post(
        reverse("children:pep-add", args=[child.pk]), posted
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not PersonalEducationPlan.objects.exists()


def test_the_recording_pages_are_404_to_those_who_cannot_see_the_child_and_403_to_readers(
    child, people
):
    url = reverse("children:pep-add", args=[child.pk])
    assert client_for(people["charlie"]).get(url).status_code == 404
    assert client_for(people["alice"]).get(url).status_code == 403
    assert client_for(people["betty"]).get(url).status_code == 200


def test_the_child_page_stays_at_a_fixed_number_of_queries_with_many_dates(child, org, people):
    looked_after(child, people)
    url = reverse("children:detail", args=[child.pk])
    empty = count_queries(people["alice"], url)
    for month in range(6, 12):
        day = date(2025, month, 3)
        services.health_assessment_record(child=child, completed_on=day, by=people["sarah"])
        services.pep_record(child=child, completed_on=day, by=people["sarah"])
    assert count_queries(people["alice"], url) == empty


# --- API -------------------------------------------------------------------------------


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_lists_dates_by_child_for_those_who_can_see_the_child(child, people, org):
    looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    services.pep_record(child=child, completed_on=date(2025, 6, 20), by=people["sarah"])
    other = ChildFactory(team=org["other_team"], social_worker=people["charlie"])
    looked_after(other, people)
    services.pep_record(child=other, completed_on=date(2025, 7, 1), by=people["charlie"])

    body = api_for(people["sarah"]).get(reverse("health-assessment-list")).json()
    assert [
        (row["child"], row["kind"], row["completed_on"], row["rule_id"], row["due_date"])
        for row in body["results"]
    ] == [(child.pk, "initial", "2025-06-25", "H-1", "2025-06-30")]
    peps = api_for(people["alice"]).get(reverse("pep-list"), {"child": child.pk}).json()
    assert [row["completed_on"] for row in peps["results"]] == ["2025-06-20"]
    assert (
        api_for(people["charlie"]).get(reverse("pep-list"), {"child": child.pk}).json()["results"]
        == []
    )
    record = PersonalEducationPlan.objects.get(child=child)
    assert (
        api_for(people["charlie"]).get(reverse("pep-detail", args=[record.pk])).status_code == 404
    )
    period = api_for(people["sarah"]).get(reverse("period-of-care-list")).json()["results"][0]
    assert (period["health_assessment_rule"], period["health_assessment_due"]) == (
        "H-2",
        "2026-06-25",
    )


def test_the_api_is_read_only(child, people):
    response = api_for(people["sarah"]).post(
        reverse("health-assessment-list"), {"child": child.pk, "completed_on": "2025-06-25"}
    )
    assert response.status_code == 405


def test_the_api_lists_do_not_grow_in_queries(child, org, people):
    looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 25), by=people["sarah"]
    )
    services.pep_record(child=child, completed_on=date(2025, 6, 25), by=people["sarah"])
    lists = [reverse("health-assessment-list"), reverse("pep-list")]
    one = [count_queries(people["alice"], url) for url in lists]
    for _ in range(10):
        other = ChildFactory(team=org["team"])
        looked_after(other, people)
        services.health_assessment_record(
            child=other, completed_on=date(2025, 6, 25), by=people["sarah"]
        )
        services.pep_record(child=other, completed_on=date(2025, 6, 25), by=people["sarah"])
    assert [count_queries(people["alice"], url) for url in lists] == one
