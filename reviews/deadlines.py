"""The child's review deadlines for the child page (``children.deadlines`` provider):
the next review (CLA-1/2/3, judged against its original due date), the latest held reviews,
and CLA-13/CLA-14 of held reviews, met ones listed for a year.

A period of care started moments ago may not have its review row yet (the children app's
episode service does not call into reviews; ``reviews_sync_next`` creates it): the next
review is then worked out from the period and the reviews held, so the page is never
missing it."""

from datetime import timedelta

from children.deadlines import RECENT_DAYS, ChildDeadline, DeadlineContext
from children.selectors import ChildRecord
from reviews import workflow
from reviews.selectors import child_reviews
from timescales.sequences import next_cla_review


def review_deadlines(record: ChildRecord, context: DeadlineContext) -> list[ChildDeadline]:
    rows = []
    recent = context.today - timedelta(days=RECENT_DAYS)
    reviews = [
        review
        for review in child_reviews(record)
        if review.status in (*workflow.OPEN_STATUSES, workflow.HELD)
        and not (review.held_date is not None and review.held_date < recent)
    ]
    for review in reviews:
        rows.append(
            context.row(
                review.sequence_rule, review.clock_start, review.original_due_date, review.held_date
            )
        )
        if review.status == workflow.HELD:
            rows.append(
                context.row(
                    "CLA-13", review.held_date, review.decisions_due, review.decisions_circulated_on
                )
            )
            rows.append(
                context.row(
                    "CLA-14", review.held_date, review.record_due, review.record_completed_on
                )
            )
    if not any(review.is_open for review in reviews):
        rows += _next_review_not_yet_created(record, context)
    return rows


def _next_review_not_yet_created(
    record: ChildRecord, context: DeadlineContext
) -> list[ChildDeadline]:
    period = record.open_period
    if period is None:
        return []
    held = [
        review.held_date
        for review in child_reviews(record)
        if review.period_id == period.pk and review.status == workflow.HELD
    ]
    deadline = next_cla_review(
        period_start=period.start_date,
        reviews_held=held,
        rules=context.books(period.start_date),
        calendar=context.calendar,
    )
    return [context.row(deadline.rule_id, deadline.start, deadline.due, None)]
