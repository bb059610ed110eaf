"""The generator's plan: how many of each kind of case, in what order, flushed how often."""

import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from audits.models import Audit, AuditAnswer
from challenges.models import (
    Approval,
    CafcassReferral,
    Challenge,
    ChallengeEvent,
    ChallengeStage,
)
from children.models import (
    Allocation,
    Child,
    ChildEvent,
    ChildProtectionPlan,
    Episode,
    HealthAssessment,
    PeriodOfCare,
    PersonalEducationPlan,
    S47Enquiry,
)
from conferences.models import Conference, CoreGroup
from reporting.synthetic import protection
from reporting.synthetic.audits import AuditMaker
from reporting.synthetic.care import child_in_care_add
from reporting.synthetic.context import Context
from reporting.synthetic.irp import CHALLENGES_PER_CHILD_PER_YEAR, ChallengeMaker
from reporting.synthetic.staff import staff_generate
from reporting.synthetic.writer import CopyWriter
from reviews.models import Decision, Review
from timescales.services import rule_books, working_calendar

logger = logging.getLogger(__name__)

CHILDREN_PER_IRO = 70
BATCH = 2000
# Children who left care in the window, per child in care today and per year; plans that
# ended, per open plan and per year; initial conferences deciding no plan and enquiries
# still waiting for theirs, per open plan.
LEFT_CARE_PER_YEAR = 0.35
ENDED_PLANS_PER_YEAR = 0.45
NO_PLAN_SHARE = 0.15
AWAITING_SHARE = 0.03


@dataclass(frozen=True)
class Size:
    """Children in care today, children on a plan today, IROs, years of history."""

    in_care: int
    on_plans: int
    iros: int
    years: int = 3

    @classmethod
    def for_children(cls, children: int, years: int = 3) -> "Size":
        """``children`` in care, 60% as many on plans, one IRO per 70 children in care."""
        return cls(
            children, round(children * 0.6), max(1, math.ceil(children / CHILDREN_PER_IRO)), years
        )

    def plan(self) -> list[tuple[str, int]]:
        """(kind, how many) in the order they are written."""
        return [
            ("in_care", self.in_care),
            ("left_care", round(self.in_care * LEFT_CARE_PER_YEAR * self.years)),
            (protection.OPEN_PLAN, self.on_plans),
            (protection.ENDED_PLAN, round(self.on_plans * ENDED_PLANS_PER_YEAR * self.years)),
            (protection.NO_PLAN, round(self.on_plans * NO_PLAN_SHARE)),
            (protection.AWAITING_ICPC, round(self.on_plans * AWAITING_SHARE)),
        ]


PRESETS = {
    "council": Size(in_care=1000, on_plans=600, iros=15),
    "england": Size(in_care=85_000, on_plans=50_000, iros=1300),
}

CASE_MODELS = (
    Child,
    PeriodOfCare,
    HealthAssessment,
    PersonalEducationPlan,
    Episode,
    S47Enquiry,
    ChildProtectionPlan,
    Review,
    Decision,
    Conference,
    CoreGroup,
    Audit,
    AuditAnswer,
    Allocation,
    Challenge,
    ChallengeStage,
    ChallengeEvent,
    Approval,
    CafcassReferral,
)


def _case(ctx: Context, kind: str, number: int) -> dict:
    if kind in ("in_care", "left_care"):
        child = child_in_care_add(ctx, number, left=kind == "left_care")
        child["category"] = Challenge.Category.CLA
    else:
        child = protection.child_protection_add(ctx, number, kind)
        child["category"] = Challenge.Category.CP
    return child


def _flush(writer: CopyWriter) -> None:
    # One transaction a batch: Team.manager and User.team, Challenge.current and its stages
    # point at each other, and PostgreSQL checks the (deferred) foreign keys at commit.
    with transaction.atomic():
        writer.flush()


def generate(
    size: Size,
    *,
    seed: int,
    today: date | None = None,
    tag: str = "",
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic authority of ``size``; return rows written per model.

    ``tag`` (letters and digits) prefixes child IDs and team names so that a second run into
    the same database appends a second authority-sized block instead of clashing.
    """
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not a secret
    today = today or timezone.localdate()
    tag = tag or f"S{seed}"
    writer = CopyWriter(now=timezone.now())
    plan = size.plan()
    open_children = size.in_care + size.on_plans
    staff = staff_generate(writer, rng, tag=tag, open_children=open_children, iros=size.iros)
    _flush(writer)
    writer.declare(*CASE_MODELS)
    writer.declare(ChildEvent, Challenge.children.through, Challenge.reasons.through, with_id=False)
    ctx = Context(writer, rng, today, size.years, working_calendar(), rule_books(), staff, tag)
    ctx.audit = AuditMaker(ctx).maybe
    challenges = ChallengeMaker(ctx)
    chance = min(1.0, CHALLENGES_PER_CHILD_PER_YEAR * size.years)
    number = 0
    for kind, count in plan:
        for _ in range(count):
            number += 1
            child = _case(ctx, kind, number)
            if rng.random() < chance:
                first = child["start"]
                last = child.get("end") or today
                if last > first:
                    challenges.add(
                        child, first + timedelta(days=rng.randint(0, (last - first).days))
                    )
            if number % BATCH == 0:
                _flush(writer)
                if progress:
                    progress(f"{number} children ({time.monotonic() - started:.0f} s)")
    _flush(writer)
    with connection.cursor() as cursor:
        # Fresh statistics for the tables written, so the planner sees their new size.
        for table in writer.tables_written():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    logger.info("synthetic data: %s children in %.0f s", number, time.monotonic() - started)
    return dict(writer.counts)
