"""Evidence the record already holds for an audit question, and the answer it suggests
(issue 7 "Prefill"; DOMAIN.md section 8, the table of evidence sources).

Each prefiller reads the meeting and the child and returns a ``Suggestion`` (answer and the
evidence in plain words) or None when the record does not know. The IRO confirms or changes
the suggestion; the audit keeps both. Met or late is judged by ``timescales.rules.assess``
against the stored due dates, as everywhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from audits.models import Answer
from children.deadlines import (
    HEALTH_CLOCK,
    PEP_CLOCK,
    CareClock,
    DeadlineContext,
    care_clock_deadline,
    visit_deadlines,
)
from children.models import CareCheck, Child, Visit
from children.selectors import child_record
from conferences.models import Conference, CoreGroup
from reviews.models import Review
from timescales.rules import DeadlineStatus, Unit, assess
from timescales.services import rule_books, working_calendar

# A participation code showing the child's views reached the review (CLA-9).
VIEWS_GIVEN = frozenset({"PN1", "PN2", "PN3", "PN5", "PN6"})
RECENT_VISITS = 3


@dataclass(frozen=True)
class Suggestion:
    answer: str
    evidence: str


@dataclass
class PrefillContext:
    child: Child
    review: Review | None
    conference: Conference | None
    today: date

    def __post_init__(self) -> None:
        self.calendar = working_calendar()

    def deadline_context(self) -> DeadlineContext:
        return DeadlineContext(today=self.today, calendar=self.calendar, books=rule_books())


def _day(value: date | None) -> str:
    return f"{value:%d %B %Y}" if value else ""


def _timescale(
    due: date, held: date | None, booked: date | None, ctx: PrefillContext
) -> Suggestion:
    """Held (or booked) on or before the original due date: rescheduling never moves it."""
    done = held or booked
    verdict = assess(
        due=due, done=done, today=ctx.today, unit=Unit.CALENDAR_DAYS, calendar=ctx.calendar
    )
    what = "Held" if held else "Booked for"
    if verdict.status == DeadlineStatus.MET:
        return Suggestion(Answer.YES, f"{what} {_day(done)}; due by {_day(due)}.")
    if verdict.status == DeadlineStatus.LATE:
        return Suggestion(Answer.NO, f"{what} {_day(done)}; due by {_day(due)}.")
    if verdict.status == DeadlineStatus.OVERDUE:
        return Suggestion(Answer.NO, f"Not held or booked; due by {_day(due)}.")
    return Suggestion(Answer.YES, f"Not yet booked; due by {_day(due)}.")


def review_in_timescale(ctx: PrefillContext) -> Suggestion | None:
    """CLA-1..3: the review against its original due date."""
    review = ctx.review
    if review is None:
        return None
    return _timescale(review.original_due_date, review.held_date, review.scheduled_date, ctx)


def conference_in_timescale(ctx: PrefillContext) -> Suggestion | None:
    """CP-1, CP-6, CP-7: the conference against its original due date."""
    conference = ctx.conference
    if conference is None:
        return None
    return _timescale(
        conference.original_due_date, conference.held_on, conference.scheduled_date, ctx
    )


def _schedule7(ctx: PrefillContext, key: str, label: str) -> Suggestion | None:
    """What the review record says about a Schedule 7 matter: whether it was considered."""
    if ctx.review is None or key not in (ctx.review.schedule7 or {}):
        return None
    if ctx.review.schedule7[key].get("considered"):
        return Suggestion(Answer.YES, f"The review record says the {label} was considered.")
    return Suggestion(Answer.NO, f"The review record says the {label} was not considered.")


def _meeting_day(ctx: PrefillContext) -> tuple[date, str]:
    """The day the review or conference was held (or is booked for), else today, and how
    the evidence names it."""
    for meeting, held, booked in (
        (
            "the review",
            ctx.review and ctx.review.held_date,
            ctx.review and ctx.review.scheduled_date,
        ),
        (
            "the conference",
            ctx.conference and ctx.conference.held_on,
            ctx.conference and ctx.conference.scheduled_date,
        ),
    ):
        day = held or booked
        if day:
            return day, f"{meeting} on {_day(day)}"
    return ctx.today, "today"


def _in_date(
    clock: CareClock, schedule7_key: str, schedule7_label: str
) -> Callable[[PrefillContext], Suggestion | None]:
    """Health (H-1, H-2) and PEP (E-1): was the latest assessment or PEP in date on the day
    of the meeting, that is, was the next one not yet overdue? Judged by the clock engine
    from the dates recorded before that day in the period of care then open. A child with
    none recorded at all falls back on the review's Schedule 7 record (the council may keep
    the dates elsewhere, as with visits)."""

    def prefill(ctx: PrefillContext) -> Suggestion | None:
        records = list(
            getattr(ctx.child, clock.related)
            .order_by("completed_on")
            .values_list("completed_on", "kind")
        )
        if not records:
            return _schedule7(ctx, schedule7_key, schedule7_label)
        day, at = _meeting_day(ctx)
        period = (
            ctx.child.periods_of_care.filter(start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .first()
        )
        if period is None:
            return None
        done = [(on, kind) for on, kind in records if period.start_date <= on <= day]
        deadline = care_clock_deadline(
            clock, period, ctx.child, [on for on, _ in done], rule_books(), ctx.calendar
        )
        if deadline is None:
            # E-1-FROM-AGE / E-1-END-AGE: a PEP only for a child of the ages it covers.
            return Suggestion(Answer.NA, f"No {clock.label} was due at {at}.")
        if not done:
            first = f"No {clock.label} recorded in this period of care; the first"
            if deadline.due >= day:
                return Suggestion(Answer.NA, f"{first} is due by {_day(deadline.due)}, after {at}.")
            return Suggestion(
                Answer.NO, f"{first} was due by {_day(deadline.due)}: overdue at {at}."
            )
        on, kind = done[-1]
        last = f"Last {clock.label} ({CareCheck.Kind(kind).label.lower()}) {_day(on)}"
        if deadline.due >= day:
            return Suggestion(
                Answer.YES, f"{last}; next due by {_day(deadline.due)}: in date at {at}."
            )
        return Suggestion(
            Answer.NO, f"{last}; next was due by {_day(deadline.due)}: out of date at {at}."
        )

    return prefill


def review_reports(ctx: PrefillContext) -> Suggestion | None:
    """The social worker's report received before the review."""
    review = ctx.review
    if review is None:
        return None
    meeting = review.held_date or review.scheduled_date
    received = review.sw_report_received_on
    if received is not None:
        on_time = meeting is None or received <= meeting
        answer = Answer.YES if on_time else Answer.NO
        return Suggestion(answer, f"Social worker's report received {_day(received)}.")
    if meeting is not None and meeting <= ctx.today:
        return Suggestion(Answer.NO, "No social worker's report was recorded as received.")
    return None


def child_prepared(ctx: PrefillContext) -> Suggestion | None:
    if ctx.review is None or ctx.review.child_prepared is None:
        return None
    if ctx.review.child_prepared:
        return Suggestion(Answer.YES, "Recorded: the child was prepared for the review.")
    return Suggestion(Answer.NO, "Recorded: the child was not prepared for the review.")


def child_views(ctx: PrefillContext) -> Suggestion | None:
    """CLA-9: the 903 participation code and the wishes and feelings written down."""
    review = ctx.review
    if review is None or not review.participation_code:
        return None
    code = review.participation_code
    if code == "PN0":
        return Suggestion(Answer.NA, "PN0: the child was under 4.")
    if code in VIEWS_GIVEN:
        if review.wishes_and_feelings.strip():
            return Suggestion(Answer.YES, f"{code}, and the child's wishes and feelings recorded.")
        return Suggestion(Answer.PARTLY, f"{code}, but no wishes and feelings written down.")
    return Suggestion(Answer.NO, f"{code}: the child's views did not reach the review.")


def consultation(ctx: PrefillContext) -> Suggestion | None:
    if ctx.review is None:
        return None
    documents = list(ctx.review.consultations.all())
    if not documents:
        return None
    returned = sum(1 for document in documents if document.returned_on)
    evidence = f"{returned} of {len(documents)} consultation documents returned."
    if returned == len(documents):
        return Suggestion(Answer.YES, evidence)
    return Suggestion(Answer.PARTLY if returned else Answer.NO, evidence)


def child_details(ctx: PrefillContext) -> Suggestion | None:
    """903/CIN validity: the identity fields a return needs."""
    child = ctx.child
    missing = []
    if child.date_of_birth is None and child.expected_date_of_birth is None:
        missing.append("date of birth")
    if not child.upn:
        missing.append("unique pupil number")
    if child.ethnicity in {"", "NOBT"}:
        missing.append("ethnicity")
    if not missing:
        return Suggestion(Answer.YES, "Date of birth, unique pupil number and ethnicity recorded.")
    return Suggestion(Answer.PARTLY, f"Not recorded: {', '.join(missing)}.")


def _visits(prefix: str) -> Callable[[PrefillContext], Suggestion | None]:
    """V-1..V-7 (children in care) or CP-11 (on a plan): the next visit, judged from the
    latest one recorded. A child with no such visit recorded gets no suggestion."""

    def prefill(ctx: PrefillContext) -> Suggestion | None:
        rows = [
            row
            for row in visit_deadlines(child_record(ctx.child), ctx.deadline_context())
            if row.rule.id.startswith(prefix)
        ]
        if not rows:
            return None
        row = rows[0]
        if row.status == DeadlineStatus.OVERDUE:
            return Suggestion(
                Answer.NO, f"Next visit ({row.rule.id}) was due by {_day(row.due)}: overdue."
            )
        return Suggestion(Answer.YES, f"Next visit ({row.rule.id}) due by {_day(row.due)}.")

    return prefill


def permanence_plan(ctx: PrefillContext) -> Suggestion | None:
    review = ctx.review
    if review is None or review.permanence_plan_in_place is None:
        return None
    if review.permanence_plan_in_place:
        return Suggestion(Answer.YES, "The review recorded a plan for permanence.")
    if review.sequence_rule == "CLA-1":
        return Suggestion(Answer.NA, "First review: the plan is due by the second review.")
    return Suggestion(Answer.NO, "The review recorded no plan for permanence.")


def _recent_cp_visits(ctx: PrefillContext) -> list[Visit]:
    return list(
        ctx.child.visits.filter(kind=Visit.Kind.PROTECTION, seen=True).order_by("-visit_date")[
            :RECENT_VISITS
        ]
    )


def _visit_flag(flag: str, words: str) -> Callable[[PrefillContext], Suggestion | None]:
    def prefill(ctx: PrefillContext) -> Suggestion | None:
        visits = _recent_cp_visits(ctx)
        if not visits:
            return None
        count = sum(1 for visit in visits if getattr(visit, flag))
        evidence = f"{words} at {count} of the last {len(visits)} visits."
        if count == len(visits):
            return Suggestion(Answer.YES, evidence)
        return Suggestion(Answer.PARTLY if count else Answer.NO, evidence)

    return prefill


def conference_reports(ctx: PrefillContext) -> Suggestion | None:
    """CP-10: agency reports received by their due date before the conference."""
    if ctx.conference is None:
        return None
    reports = [
        report
        for report in ctx.conference.reports.all()
        if report.due_date is not None and (report.received_on or report.due_date < ctx.today)
    ]
    if not reports:
        return None
    on_time = sum(
        1 for report in reports if report.received_on and report.received_on <= report.due_date
    )
    evidence = f"{on_time} of {len(reports)} agency reports received by their due date."
    if on_time == len(reports):
        return Suggestion(Answer.YES, evidence)
    return Suggestion(Answer.PARTLY if on_time else Answer.NO, evidence)


def core_groups(ctx: PrefillContext) -> Suggestion | None:
    """CP-4, CP-5: core groups of the plan held by their stored due dates."""
    plan_id = ctx.conference.cp_plan_id if ctx.conference else None
    groups = CoreGroup.objects.filter(child=ctx.child)
    if plan_id:
        groups = groups.filter(cp_plan_id=plan_id)
    rows = list(groups.values_list("held_on", "due_date"))
    if not rows:
        return None
    met = sum(1 for held, due in rows if held <= due)
    evidence = f"{met} of {len(rows)} core groups held by their due date."
    if met == len(rows):
        return Suggestion(Answer.YES, evidence)
    return Suggestion(Answer.PARTLY if met * 2 >= len(rows) else Answer.NO, evidence)


PREFILLERS: dict[str, Callable[[PrefillContext], Suggestion | None]] = {
    "review_in_timescale": review_in_timescale,
    "conference_in_timescale": conference_in_timescale,
    "health_assessment_in_date": _in_date(
        HEALTH_CLOCK, "health", "health assessment and health plan"
    ),
    "pep_in_date": _in_date(PEP_CLOCK, "pep", "personal education plan"),
    "review_reports": review_reports,
    "child_prepared": child_prepared,
    "child_views": child_views,
    "consultation": consultation,
    "child_details": child_details,
    "cla_visits": _visits("V-"),
    "permanence_plan": permanence_plan,
    "cp_visits": _visits("CP-11"),
    "cp_seen_alone": _visit_flag("seen_alone", "Seen alone"),
    "cp_bedroom_seen": _visit_flag("bedroom_seen", "Bedroom seen"),
    "conference_reports": conference_reports,
    "core_groups": core_groups,
}

PREFILL_CHOICES = [("", "None: the IRO answers")] + [(key, key) for key in PREFILLERS]


def suggest(key: str, ctx: PrefillContext) -> Suggestion | None:
    prefiller = PREFILLERS.get(key)
    return prefiller(ctx) if prefiller else None
