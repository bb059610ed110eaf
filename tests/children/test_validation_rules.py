"""One test per national validation rule, each checking the message a user sees.

Rules are enforced in the services (the only write path), so the tests go through them.
"""

from datetime import date

import pytest

from children import services
from children.models import Child, Episode, PeriodOfCare
from children.rules import EpisodeValues, check_participation_code
from iro_service.core.errors import NotPermitted, RuleViolation
from people.models import User
from people.roles import Role
from people.services import user_set_roles

pytestmark = pytest.mark.django_db


def start_care(child: Child, by: User, on: date = date(2024, 5, 1), **overrides: str) -> Episode:
    values = {"rne": "S", "ls": "C2", "cin": "N1", "place": "U4", "place_provider": "PR1"}
    return services.episode_add(
        child=child, by=by, episode=EpisodeValues(decom=on, **(values | overrides))
    )


def change(child: Child, by: User, on: date, **overrides: str) -> Episode:
    values = {"rne": "P", "ls": "C2", "cin": "N1", "place": "U6", "place_provider": "PR4"}
    values |= {"reason_place_change": "CARPL"}
    return services.episode_add(
        child=child, by=by, episode=EpisodeValues(decom=on, **(values | overrides))
    )


def assert_refused(message: str, call, *args, **kwargs) -> None:
    with pytest.raises(RuleViolation) as refused:
        call(*args, **kwargs)
    assert message in refused.value.message


def test_period_of_care_starts_with_reason_s(child, people):
    assert_refused("must start with reason 'S'", change, child, people["betty"], date(2024, 5, 1))
    assert not PeriodOfCare.objects.filter(child=child).exists()


def test_change_episode_continues_the_period_and_ends_the_previous_with_x1(child, people):
    first = start_care(child, people["betty"])
    second = change(child, people["betty"], date(2024, 7, 1))
    first.refresh_from_db()
    assert (first.dec, first.rec) == (date(2024, 7, 1), "X1")
    assert second.period_id == first.period_id


def test_episodes_are_contiguous_within_a_period(child, people):
    start_care(child, people["betty"], on=date(2024, 5, 1))
    change(child, people["betty"], date(2024, 7, 1))
    assert_refused("cannot overlap", change, child, people["betty"], date(2024, 6, 1))


def test_new_period_needs_the_previous_one_ended(child, people):
    start_care(child, people["betty"])
    assert_refused("End the current episode", start_care, child, people["betty"], date(2024, 9, 1))


def test_new_period_starts_after_the_previous_ended(child, people):
    start_care(child, people["betty"], on=date(2024, 5, 1))
    services.episode_cease(child=child, dec=date(2024, 8, 1), rec="E4A", by=people["betty"])
    assert_refused(
        "must start after the previous one ended",
        start_care,
        child,
        people["betty"],
        date(2024, 8, 1),
    )
    start_care(child, people["betty"], on=date(2024, 9, 2))
    assert PeriodOfCare.objects.filter(child=child).count() == 2


def test_change_after_care_ended_must_be_a_new_period(child, people):
    start_care(child, people["betty"], on=date(2024, 5, 1))
    services.episode_cease(child=child, dec=date(2024, 8, 1), rec="E4A", by=people["betty"])
    assert_refused("ended with reason X1", change, child, people["betty"], date(2024, 8, 1))


def test_category_of_need_holds_for_the_whole_period(child, people):
    start_care(child, people["betty"])
    assert_refused(
        "category of need must stay the same",
        change,
        child,
        people["betty"],
        date(2024, 7, 1),
        cin="N4",
    )


def test_episode_end_must_be_after_start(child, people):
    start_care(child, people["betty"], on=date(2024, 5, 1))
    assert_refused(
        "must end after the day it started",
        services.episode_cease,
        child=child,
        dec=date(2024, 5, 1),
        rec="E4A",
        by=people["betty"],
    )


def test_ending_care_with_x1_is_refused(child, people):
    start_care(child, people["betty"])
    assert_refused(
        "add the new episode instead",
        services.episode_cease,
        child=child,
        dec=date(2024, 9, 1),
        rec="X1",
        by=people["betty"],
    )


def test_episode_cannot_start_before_birth(child, people):
    assert_refused(
        "before the child's date of birth", start_care, child, people["betty"], date(2015, 5, 1)
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ls", "Q9", "not a valid legal status"),
        ("cin", "N9", "not a valid category of need"),
        ("place", "U9", "not a valid placement type"),
    ],
)
def test_codes_come_from_the_code_lists(child, people, field, value, message):
    assert_refused(message, start_care, child, people["betty"], **{field: value})


def test_placement_codes_follow_the_collection_year(child, people):
    # Z1 was removed for 2025-26 (DATA-FORMATS.md 1.7); K3 was added for 2024-25.
    assert_refused(
        "not a valid placement type for 2025-26",
        start_care,
        child,
        people["betty"],
        date(2025, 6, 1),
        place="Z1",
        place_provider="",
    )
    assert start_care(child, people["betty"], date(2024, 6, 1), place="K3", place_provider="PR4")


def test_provider_required_except_for_temporary_placements(child, people):
    assert_refused(
        "Choose the placement provider", start_care, child, people["betty"], place_provider=""
    )
    assert_refused(
        "Leave the provider blank",
        start_care,
        child,
        people["betty"],
        place="T1",
        place_provider="PR1",
    )


def test_unknown_reason_ceased_is_refused(child, people):
    start_care(child, people["betty"])
    assert_refused(
        "not a valid reason ceased",
        services.episode_cease,
        child=child,
        dec=date(2024, 9, 1),
        rec="E99",
        by=people["betty"],
    )


def test_upn_format(people):
    assert_refused(
        "Enter a UPN of 13 characters",
        services.child_create,
        by=people["betty"],
        la_child_id="X1",
        first_name="A",
        last_name="B",
        date_of_birth=date(2015, 1, 1),
        upn="I123",
    )
    created = services.child_create(
        by=people["betty"],
        la_child_id="X2",
        first_name="A",
        last_name="B",
        date_of_birth=date(2015, 1, 1),
        upn="A123456789012",
    )
    assert created.upn == "A123456789012"


def test_child_needs_a_birth_or_expected_date(people):
    assert_refused(
        "Enter a date of birth, or an expected date of birth",
        services.child_create,
        by=people["betty"],
        la_child_id="X3",
        first_name="A",
        last_name="B",
    )


def test_local_authority_child_id_format(people):
    assert_refused(
        "1 to 20 letters or digits",
        services.child_create,
        by=people["betty"],
        la_child_id="AB 12",
        first_name="A",
        last_name="B",
        date_of_birth=date(2015, 1, 1),
    )


def test_cp_plan_needs_a_known_category(child, people):
    assert_refused(
        "Choose at least one category",
        services.cp_plan_start,
        child=child,
        start_date=date(2024, 5, 1),
        categories=[],
        by=people["betty"],
    )
    assert_refused(
        "Unknown category MUL",
        services.cp_plan_start,
        child=child,
        start_date=date(2024, 5, 1),
        categories=["MUL"],
        by=people["betty"],
    )


def test_only_one_open_cp_plan(child, people):
    services.cp_plan_start(
        child=child, start_date=date(2024, 5, 1), categories=["NEG"], by=people["betty"]
    )
    assert_refused(
        "End the open child protection plan",
        services.cp_plan_start,
        child=child,
        start_date=date(2024, 9, 1),
        categories=["NEG"],
        by=people["betty"],
    )


def test_cp_plans_cannot_overlap(child, people):
    plan = services.cp_plan_start(
        child=child, start_date=date(2024, 5, 1), categories=["NEG"], by=people["betty"]
    )
    services.cp_plan_end(
        plan=plan, end_date=date(2024, 11, 1), reason="no_longer_at_risk", by=people["betty"]
    )
    assert_refused(
        "cannot overlap",
        services.cp_plan_start,
        child=child,
        start_date=date(2024, 3, 1),
        categories=["NEG"],
        by=people["betty"],
    )


def test_cp_plan_cannot_end_on_or_before_its_start(child, people):
    plan = services.cp_plan_start(
        child=child, start_date=date(2024, 5, 1), categories=["NEG"], by=people["betty"]
    )
    assert_refused(
        "must end after the day it started",
        services.cp_plan_end,
        plan=plan,
        end_date=date(2024, 5, 1),
        reason="no_longer_at_risk",
        by=people["betty"],
    )


def test_repeat_plan_counts_previous_plans_and_exports_mul(child, people):
    first = services.cp_plan_start(
        child=child, start_date=date(2023, 5, 1), categories=["NEG"], by=people["betty"]
    )
    services.cp_plan_end(
        plan=first, end_date=date(2023, 11, 1), reason="no_longer_at_risk", by=people["betty"]
    )
    second = services.cp_plan_start(
        child=child, start_date=date(2024, 5, 1), categories=["NEG", "EMO"], by=people["betty"]
    )
    assert (first.previous_plans, second.previous_plans) == (0, 1)
    assert (first.initial_category_code, second.initial_category_code) == ("NEG", "MUL")


def test_new_s47_cannot_start_while_one_is_open(child, people):
    services.s47_record(
        child=child,
        start_date=date(2024, 5, 1),
        strategy_discussion_date=date(2024, 5, 1),
        by=people["betty"],
    )
    assert_refused(
        "End the open section 47 enquiry",
        services.s47_record,
        child=child,
        start_date=date(2024, 6, 1),
        strategy_discussion_date=None,
        by=people["betty"],
    )


def test_strategy_discussion_not_after_s47_start(child, people):
    assert_refused(
        "on or before the section 47 start date",
        services.s47_record,
        child=child,
        start_date=date(2024, 5, 1),
        strategy_discussion_date=date(2024, 5, 2),
        by=people["betty"],
    )


@pytest.mark.parametrize(
    ("code", "age", "message"),
    [
        ("PN0", 4, "PN0 is only for a child under 4"),
        ("PN1", 3, "under 4 on the review date: use PN0"),
        ("PN8", 10, "from PN0 to PN7"),
    ],
)
def test_participation_code_matches_age(code, age, message):
    (problem,) = check_participation_code(code, age_on_review=age)
    assert message in problem.message


def test_participation_code_accepted_when_it_matches_age():
    assert check_participation_code("PN0", age_on_review=3) == []
    assert check_participation_code("PN5", age_on_review=4) == []


def test_age_turns_on_the_birthday_and_leap_day_birthdays_on_1_march():
    child = Child(date_of_birth=date(2020, 2, 29))
    assert child.age_on(date(2024, 2, 28)) == 3
    assert child.age_on(date(2024, 2, 29)) == 4
    assert child.age_on(date(2023, 2, 28)) == 2
    assert child.age_on(date(2023, 3, 1)) == 3


def test_iro_must_be_independent_of_the_case(child, people):
    # sarah is the child's social worker; even holding the IRO role she cannot be its IRO.
    user_set_roles(user=people["sarah"], roles=[Role.SOCIAL_WORKER, Role.IRO])
    assert_refused(
        "must be independent of the case",
        services.allocation_start,
        child=child,
        kind="iro",
        user=people["sarah"],
        start_date=date(2024, 5, 1),
        by=people["mandy"],
    )


def test_iro_allocation_needs_an_iro(child, people):
    assert_refused(
        "is not an IRO",
        services.allocation_start,
        child=child,
        kind="iro",
        user=people["charlie"],
        start_date=date(2024, 5, 1),
        by=people["mandy"],
    )


def test_new_allocation_ends_the_current_one_the_day_before(child, people):
    first = services.allocation_start(
        child=child,
        kind="iro",
        user=people["alice"],
        start_date=date(2024, 5, 1),
        by=people["mandy"],
    )
    services.allocation_start(
        child=child, kind="iro", user=people["bob"], start_date=date(2024, 9, 1), by=people["mandy"]
    )
    first.refresh_from_db()
    child.refresh_from_db()
    assert first.end_date == date(2024, 8, 31)
    assert child.iro == people["bob"]
    assert_refused(
        "must start after 01/09/2024",
        services.allocation_start,
        child=child,
        kind="iro",
        user=people["alice"],
        start_date=date(2024, 9, 1),
        by=people["mandy"],
    )


def test_a_conference_chair_starts_and_ends_plans(child, people):
    plan = services.cp_plan_start(
        child=child, start_date=date(2024, 5, 1), categories=["NEG"], by=people["bob"]
    )
    services.cp_plan_end(
        plan=plan, end_date=date(2024, 9, 1), reason="no_longer_at_risk", by=people["bob"]
    )
    with pytest.raises(NotPermitted):
        services.cp_plan_start(
            child=child, start_date=date(2024, 10, 1), categories=["NEG"], by=people["percy"]
        )
