"""The synthetic data generator at a tiny size: counts as asked, due dates as the clock
engine computes them, creation history for every tracked row, the same data for the same
seed. No timings here (bench/run measures them)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F

from audits.models import Audit
from challenges.deadlines import formal_due_compute, stage_due_compute
from challenges.models import Challenge, ChallengeStage
from children.models import (
    Child,
    ChildProtectionPlan,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
)
from children.services import care_clocks_refresh
from conferences.models import Conference, CoreGroup
from people.models import User
from people.roles import Role
from reporting.synthetic import Size, generate
from reviews.models import Decision, Review
from timescales.calendar import add_years
from timescales.sequences import (
    icpc_due,
    iro_allocation_due,
    next_cla_review,
    next_core_group,
    next_rcpc,
    review_record_deadlines,
)
from timescales.services import due_date_for, rule_books, working_calendar

TODAY = date(2026, 3, 2)
SIZE = Size(in_care=12, on_plans=6, iros=2, years=2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated() -> dict[str, int]:
    return generate(SIZE, seed=11, today=TODAY, tag="T")


def _held(queryset, field: str, before: date) -> list[date]:
    return [d for d in queryset.values_list(field, flat=True) if d is not None and d < before]


def test_counts_are_as_asked(generated: dict[str, int]) -> None:
    in_care = Child.objects.filter(
        la_child_id__startswith="T",
        periods_of_care__isnull=False,
        periods_of_care__end_date__isnull=True,
    )
    assert in_care.count() == SIZE.in_care
    open_plans = ChildProtectionPlan.objects.filter(end_date__isnull=True)
    assert open_plans.count() == SIZE.on_plans
    iros = User.objects.filter(groups__name=Role.IRO.value, email__endswith=".t@synthetic.invalid")
    assert iros.count() == SIZE.iros
    # Every child in care has exactly one open review; nobody who left care has one.
    for child in in_care:
        assert child.reviews.filter(status__in=("due", "scheduled")).count() == 1
    left = Child.objects.filter(periods_of_care__end_date__isnull=False)
    assert not Review.objects.filter(child__in=left, status__in=("due", "scheduled")).exists()
    assert generated["reviews.Review"] == Review.objects.count()


def test_review_due_dates_are_the_clock_engines(generated: dict[str, int]) -> None:
    calendar, books = working_calendar(), rule_books()
    reviews = Review.objects.select_related("period")
    assert reviews.exists()
    for review in reviews:
        period = review.period
        held = _held(
            period.reviews.filter(status="held"), "held_date", review.held_date or date.max
        )
        expected = next_cla_review(
            period_start=period.start_date,
            reviews_held=held,
            rules=books(period.start_date),
            calendar=calendar,
        )
        assert (review.sequence_rule, review.clock_start, review.original_due_date) == (
            expected.rule_id,
            expected.start,
            expected.due,
        )
        if review.held_date:
            decisions, record = review_record_deadlines(
                review_held=review.held_date, rules=books(review.held_date), calendar=calendar
            )
            assert (review.decisions_due, review.record_due) == (decisions.due, record.due)
            assert review.decisions_due == due_date_for("CLA-13", review.held_date)
    for period in PeriodOfCare.objects.all():
        expected = iro_allocation_due(
            became_looked_after=period.start_date, rules=books(period.start_date), calendar=calendar
        )
        assert period.iro_allocation_due == expected.due


def _care_clocks() -> list[tuple]:
    periods = PeriodOfCare.objects.order_by("pk").values_list(
        "pk",
        "health_assessment_rule",
        "health_assessment_clock_start",
        "health_assessment_due",
        "pep_rule",
        "pep_clock_start",
        "pep_due",
    )
    records = [
        list(model.objects.order_by("pk").values_list("pk", "kind", "rule_id", "due_date"))
        for model in (HealthAssessment, PersonalEducationPlan)
    ]
    return [*periods, *records]


def test_health_and_pep_due_dates_are_the_ones_the_service_stores(
    generated: dict[str, int],
) -> None:
    """The service's own refresh (H-1, H-2, E-1 from E-1-FROM-AGE) finds nothing to change
    in any generated period of care or in the deadline any record met or missed."""
    assert HealthAssessment.objects.exists() and PersonalEducationPlan.objects.exists()
    stored = _care_clocks()
    for period in PeriodOfCare.objects.select_related("child"):
        care_clocks_refresh(period=period, child=period.child)
    assert _care_clocks() == stored
    assert generated["children.HealthAssessment"] == HealthAssessment.objects.count()


def test_most_children_in_care_are_in_date_for_health_and_pep() -> None:
    """About one child in care in eight is overdue for each, never most of them; a child
    under 3 has no PEP recorded and the first falls due from the 3rd birthday."""
    generate(Size(in_care=150, on_plans=0, iros=3, years=2), seed=3, today=TODAY, tag="H")
    periods = PeriodOfCare.objects.filter(end_date__isnull=True).select_related("child")
    assert periods.count() == 150
    for field in ("health_assessment_due", "pep_due"):
        overdue = periods.filter(**{f"{field}__lt": TODAY}).count()
        assert 0.06 * 150 <= overdue <= 0.2 * 150, (field, overdue)
    late = PersonalEducationPlan.objects.filter(completed_on__gt=F("due_date")).count()
    assert 0.05 <= late / PersonalEducationPlan.objects.count() <= 0.2
    babies = [p for p in periods if p.child.age_on(TODAY) < 3]
    assert babies
    for period in babies:
        assert not period.peps.exists()
        assert period.pep_clock_start == add_years(period.child.date_of_birth, 3)


def test_conference_and_core_group_due_dates_are_the_clock_engines(
    generated: dict[str, int],
) -> None:
    calendar, books = working_calendar(), rule_books()
    for conference in Conference.objects.filter(
        conference_type=Conference.Type.ICPC
    ).select_related("s47_enquiry"):
        discussed = conference.s47_enquiry.strategy_discussion_date
        assert (
            conference.original_due_date
            == icpc_due(
                strategy_discussion=discussed, rules=books(discussed), calendar=calendar
            ).due
        )
        assert conference.s47_enquiry.icpc_due == conference.original_due_date
    for plan in ChildProtectionPlan.objects.all():
        rcpcs = list(
            plan.conferences.filter(conference_type=Conference.Type.RCPC).order_by(
                "original_due_date"
            )
        )
        for index, rcpc in enumerate(rcpcs):
            held = [r.held_on for r in rcpcs[:index]]
            expected = next_rcpc(
                icpc=plan.start_date,
                rcpcs_held=held,
                rules=books(plan.start_date),
                calendar=calendar,
            )
            assert (rcpc.rule_id, rcpc.original_due_date) == (expected.rule_id, expected.due)
        groups = list(plan.core_groups.order_by("held_on"))
        for index, group in enumerate(groups):
            held = [g.held_on for g in groups[:index]]
            expected = next_core_group(
                icpc=plan.start_date,
                core_groups_held=held,
                rules=books(plan.start_date),
                calendar=calendar,
            )
            assert (group.rule_id, group.due_date) == (expected.rule_id, expected.due)
    assert CoreGroup.objects.exists()
    for held in Conference.objects.filter(status=Conference.Status.HELD):
        assert held.outcome_due == due_date_for("CP-OUTCOME", held.held_on)
        assert held.minutes_due == due_date_for("CP-MINUTES", held.held_on)


def test_challenge_stage_due_dates_are_the_clock_engines(generated: dict[str, int]) -> None:
    calendar, books = working_calendar(), rule_books()
    stages = ChallengeStage.objects.exclude(response_rule="")
    assert stages.exists()
    for stage in stages:
        assert stage.response_due == stage_due_compute(
            stage.response_rule, stage.raised_on, books(stage.raised_on), calendar
        )
    for challenge in Challenge.objects.filter(formal_start__isnull=False):
        assert challenge.formal_due == formal_due_compute(
            challenge.formal_start, books(challenge.formal_start), calendar
        )
        assert challenge.current.challenge_id == challenge.pk


@pytest.mark.parametrize(
    "model",
    [
        Child,
        PeriodOfCare,
        HealthAssessment,
        PersonalEducationPlan,
        Review,
        Decision,
        Conference,
        CoreGroup,
        Challenge,
        User,
        Audit,
    ],
)
def test_every_tracked_row_has_its_creation_history(generated: dict[str, int], model) -> None:
    rows = set(model.objects.values_list("pk", flat=True))
    created = set(model.history.filter(history_type="+").values_list("id", flat=True))
    assert rows and rows <= created


def _fingerprint(tag: str) -> list[tuple]:
    children = Child.objects.filter(la_child_id__startswith=tag).order_by("la_child_id")
    rows = []
    for child in children:
        rows.append(
            (
                child.la_child_id[len(tag) :],
                child.first_name,
                child.date_of_birth,
                tuple(
                    child.reviews.order_by("original_due_date").values_list(
                        "original_due_date", "status", "held_date"
                    )
                ),
                tuple(
                    child.conferences.order_by("original_due_date").values_list(
                        "original_due_date", "status"
                    )
                ),
            )
        )
    return rows


def test_the_same_seed_gives_the_same_data() -> None:
    generate(SIZE, seed=5, today=TODAY, tag="A")
    generate(SIZE, seed=5, today=TODAY, tag="B")
    generate(SIZE, seed=6, today=TODAY, tag="C")
    assert _fingerprint("A") == _fingerprint("B")
    assert _fingerprint("A") != _fingerprint("C")


def test_the_command_generates_a_preset_fraction(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "generate_data",
        "--size",
        "council",
        "--fraction",
        "0.01",
        "--seed",
        "3",
        "--today",
        "2026-03-02",
        "--tag",
        "K",
    )
    assert "Generated 10 in care, 6 on plans, 1 IROs" in capsys.readouterr().out
    open_periods = PeriodOfCare.objects.filter(child__la_child_id__startswith="K", end_date=None)
    assert open_periods.count() == 10


def test_audits_answer_every_question_of_a_published_version(generated: dict[str, int]) -> None:
    audits = Audit.objects.select_related("version")
    assert audits.exists()
    for audit in audits:
        assert audit.version.is_published
        assert audit.answers.count() == audit.version.questions.count()
        assert (audit.review_id is None) != (audit.conference_id is None)
        assert audit.is_completed and audit.rating
