"""The dashboards' figures on small hand-built caseloads. "Today" is 20 May 2026."""

from datetime import date
from decimal import Decimal

import pytest

from children.models import SiblingGroup
from children.selectors import children_visible_to
from reporting.dashboards import caseload, deadlines, support, timeliness
from reporting.dashboards.common import dashboard_periods, deadline_context, week_of
from reporting.models import CaseloadSettings
from tests.reporting.dashboard_factories import (
    TODAY,
    child_of,
    hold,
    in_care,
    on_plan,
    restricted_to,
)

pytestmark = pytest.mark.django_db


def _by_iro(rows):
    return {row.iro.email.split("@")[0]: row for row in rows}


def test_caseload_counts_children_in_care_or_on_a_plan_per_fte(people, org):
    alice = people["alice"]
    alice.fte = Decimal("0.50")
    alice.save(update_fields=["fte"])
    in_care(child_of(people, org), people, date(2026, 1, 5))
    on_plan(child_of(people, org), people, date(2026, 2, 2))
    both = child_of(people, org)
    in_care(both, people, date(2026, 1, 5))
    on_plan(both, people, date(2026, 2, 2))
    child_of(people, org)  # allocated but neither in care nor on a plan: not counted
    in_care(child_of(people, org, iro="bob"), people, date(2026, 3, 2))
    rows = _by_iro(
        caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=CaseloadSettings())
    )
    # alice: 3 children / 0.5 FTE = 6.0; bob 1 / 1.0 = 1.0
    assert (rows["alice"].children, rows["alice"].per_fte) == (3, Decimal("6.0"))
    assert (rows["bob"].children, rows["bob"].per_fte) == (1, Decimal("1.0"))
    assert rows["alice"].factors["in_care_and_on_plan"] == 1


def test_short_breaks_and_ended_care_do_not_count(people, org):
    in_care(child_of(people, org), people, date(2026, 1, 5), ls="V3")
    rows = _by_iro(
        caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=CaseloadSettings())
    )
    assert rows["alice"].children == 0


def test_a_restricted_child_counts_only_for_its_allow_list(people, org):
    hidden = child_of(people, org)
    in_care(hidden, people, date(2026, 1, 5))
    restricted_to(hidden, people["alice"])
    settings = CaseloadSettings()
    as_mandy = _by_iro(caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=settings))
    as_alice = _by_iro(caseload.iro_caseloads(user=people["alice"], today=TODAY, settings=settings))
    assert as_mandy["alice"].children == 0
    assert as_alice["alice"].children == 1
    counts = deadlines.overdue_counts_by_owner(
        children=children_visible_to(people["mandy"]), today=TODAY
    )
    assert counts.get(people["alice"].pk, {}) == {}


def test_complexity_factors_and_points(people, org):
    group = SiblingGroup.objects.create(reference="SG1")
    # 1 + sibling 1 + proceedings (C1) 2 + out of area (DL home, TS placement) 1
    #   + accommodated under 3 months (from 2 March) 1 = 6 points
    first = child_of(people, org, sibling_group=group)
    in_care(first, people, date(2026, 3, 2), ls="C1", home_post="DL1 1AA", pl_post="TS1 1AA")
    # 1 + in care and on a plan 2 = 3 points (in care since January: not recent)
    second = child_of(people, org)
    in_care(second, people, date(2026, 1, 5), home_post="DL1 1AA", pl_post="DL3 1AA")
    on_plan(second, people, date(2026, 2, 2))
    settings = CaseloadSettings()
    rows = _by_iro(caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=settings))
    alice = rows["alice"]
    assert alice.factors == {
        "sibling_group": 1,
        "in_care_and_on_plan": 1,
        "out_of_area": 1,
        "care_proceedings": 1,
        "recently_accommodated": 1,
        "placement_disruption": 0,
    }
    assert alice.points == 6 + 3


def test_local_postcode_prefixes_decide_out_of_area(people, org):
    child = child_of(people, org)
    in_care(child, people, date(2026, 1, 5), home_post="DL1 1AA", pl_post="DL9 1AA")
    settings = CaseloadSettings(local_postcode_prefixes="DL1, DL2")
    rows = _by_iro(caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=settings))
    # Same postcode area (DL) but DL9 is not one of the council's own districts.
    assert rows["alice"].factors["out_of_area"] == 1
    rows = _by_iro(
        caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=CaseloadSettings())
    )
    assert rows["alice"].factors["out_of_area"] == 0


def test_a_placement_move_is_a_disruption_unless_the_care_plan_made_it(people, org):
    from children import services as child_services
    from children.rules import EpisodeValues

    moved = child_of(people, org)
    in_care(moved, people, date(2026, 1, 5))
    child_services.episode_add(
        child=moved,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2026, 4, 1), rne="P", ls="C2", cin="N1", place="U5", place_provider="PR4"
        ),
    )
    planned = child_of(people, org)
    in_care(planned, people, date(2026, 1, 5))
    child_services.episode_add(
        child=planned,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2026, 4, 1), rne="P", ls="C2", cin="N1", place="U5", place_provider="PR4"
        ),
    )
    ended = planned.periods_of_care.get().episodes.get(dec=date(2026, 4, 1))
    ended.reason_place_change = "CARPL"
    ended.save(update_fields=["reason_place_change"])
    rows = _by_iro(
        caseload.iro_caseloads(user=people["mandy"], today=TODAY, settings=CaseloadSettings())
    )
    assert rows["alice"].factors["placement_disruption"] == 1


def test_overdue_counts_by_iro_and_category(people, org):
    # Looked after from 5 January: the first review (CLA-1, 20 WD) fell due on 2 February.
    in_care(child_of(people, org), people, date(2026, 1, 5))
    # From 11 May: CLA-1 due 9 June, not overdue yet.
    in_care(child_of(people, org, iro="bob"), people, date(2026, 5, 11))
    # No IRO: the CLA-11 allocation (5 WD from 4 May, so 11 May) is overdue too.
    in_care(child_of(people, org, iro=None), people, date(2026, 5, 4))
    counts = deadlines.overdue_counts_by_owner(
        children=children_visible_to(people["mandy"]), today=TODAY
    )
    assert dict(counts[people["alice"].pk]) == {"reviews": 1}
    assert people["bob"].pk not in counts
    assert dict(counts[None]) == {"allocation": 1}


def test_next_deadline_is_judged_by_the_clock_engine(people, org):
    review = in_care(child_of(people, org), people, date(2026, 1, 5))
    items = deadlines.open_items(
        children=children_visible_to(people["alice"]), context=deadline_context(TODAY)
    )
    soonest = deadlines.next_deadline_by_child(items)[review.child_id]
    assert soonest.deadline.rule.id == "CLA-1"
    assert soonest.deadline.due == review.original_due_date == date(2026, 2, 2)
    assert soonest.deadline.status == "overdue"
    # Working days after 2 February to 20 May 2026: 19 in February, 22 in March, 20 in
    # April (22 less Good Friday and Easter Monday), 13 in May (14 less the 4 May bank
    # holiday) = 74.
    assert soonest.deadline.days_late == 74


def test_timeliness_this_month_and_year_to_date(people, org):
    on_time = in_care(child_of(people, org), people, date(2026, 3, 2))  # CLA-1 due 30 March
    hold(on_time, people["alice"], date(2026, 3, 27))
    late = in_care(child_of(people, org), people, date(2026, 4, 1))  # CLA-1 due 30 April
    hold(late, people["alice"], date(2026, 5, 6))
    rows = {
        row.measure.key: row
        for row in timeliness.timeliness(
            children=children_visible_to(people["mandy"]),
            periods=dashboard_periods(TODAY),
            today=TODAY,
        )
    }
    cla = rows["cla_reviews"].figures
    # Year to date (from 1 April): only the late review (27 March is in 2025-26) -> 0 of 1.
    assert (cla["ytd"].judged, cla["ytd"].on_time, cla["ytd"].pct) == (1, 0, 0.0)
    assert (cla["month"].judged, cla["month"].pct) == (1, 0.0)
    # Nothing to count: no data, never 0.
    assert rows["rcpc"].figures["ytd"].pct is None
    trend = timeliness.monthly_on_time(
        measure=timeliness.MEASURES_BY_KEY["cla_reviews"],
        children=children_visible_to(people["mandy"]),
        period=dashboard_periods(TODAY)["ytd"].period,
        today=TODAY,
    )
    assert [(month, figure.judged, figure.pct) for month, figure in trend] == [
        (date(2026, 4, 1), 0, None),
        (date(2026, 5, 1), 1, 0.0),
    ]


def test_business_support_to_schedule_this_week_and_next(people, org):
    in_care(child_of(people, org), people, date(2026, 1, 5))  # due 2 Feb: overdue
    in_care(child_of(people, org), people, date(2026, 4, 27))  # CLA-1 due 26 May: next week
    in_care(child_of(people, org), people, date(2026, 4, 22))  # CLA-1 due 21 May: this week
    monday, sunday = week_of(TODAY)
    assert (monday, sunday) == (date(2026, 5, 18), date(2026, 5, 24))
    result = support.to_schedule(
        children=children_visible_to(people["betty"]), today=TODAY, sunday=sunday
    )
    reviews = result["reviews"]
    assert (reviews.overdue, reviews.this_week, reviews.next_week) == (1, 1, 1)
    assert result["conferences"].total == 0


def test_open_challenges_by_stage_count_only_visible_children(people, org):
    from challenges import services as challenge_services
    from challenges.models import ChallengeReason
    from reporting.dashboards.challenges import open_challenges_by_stage

    def raise_about(child):
        return challenge_services.challenge_raise(
            children=[child],
            reasons=ChallengeReason.objects.filter(code="drift-delay"),
            what_is_wrong="The permanence plan is six months late.",
            impact_on_child="Uncertainty about where they will grow up.",
            what_must_happen="A permanence plan presented at the next review.",
            by=people["alice"],
        )

    raise_about(child_of(people, org))
    raise_about(restricted_to(child_of(people, org), people["alice"]))
    as_mandy = {row.stage: row.count for row in open_challenges_by_stage(user=people["mandy"])}
    as_alice = {row.stage: row.count for row in open_challenges_by_stage(user=people["alice"])}
    assert as_mandy["informal"] == 1 and as_alice["informal"] == 2
    assert list(as_mandy) == ["informal", "stage_1", "stage_2", "stage_3", "stage_4", "cafcass"]
