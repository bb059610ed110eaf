"""Which meetings expect an audit (issue 7 "When"): every review and conference by
default, or a sample by percentage, or those meeting a rule, as the template says.

A percentage sample is deterministic: a meeting is in the sample when ``(id * 37) mod 100``
is below the percentage, so the same meetings stay expected on every page and report, and
consecutive meetings spread across the sample.
"""

from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod

from audits.models import AuditTemplate
from conferences.models import Conference
from reviews.models import Review

SPREAD = 37


def _sampled(meetings: QuerySet, percent: int) -> QuerySet:
    return meetings.annotate(_audit_bucket=Mod(F("pk") * SPREAD, 100)).filter(
        _audit_bucket__lt=percent
    )


def expected_reviews(
    template: AuditTemplate, reviews: QuerySet[Review], today: date
) -> QuerySet[Review]:
    if not template.active or template.expect == AuditTemplate.Expect.NONE:
        return reviews.none()
    if template.expect == AuditTemplate.Expect.PERCENT:
        return _sampled(reviews, template.sample_percent)
    if template.expect == AuditTemplate.Expect.RULE:
        if template.expect_rule == AuditTemplate.ExpectRule.FIRST:
            return reviews.filter(sequence_rule="CLA-1")
        return reviews.filter(
            Q(held_date__gt=F("original_due_date"))
            | Q(held_date__isnull=True, original_due_date__lt=today)
        )
    return reviews


def expected_conferences(
    template: AuditTemplate, conferences: QuerySet[Conference], today: date
) -> QuerySet[Conference]:
    if not template.active or template.expect == AuditTemplate.Expect.NONE:
        return conferences.none()
    if template.expect == AuditTemplate.Expect.PERCENT:
        return _sampled(conferences, template.sample_percent)
    if template.expect == AuditTemplate.Expect.RULE:
        if template.expect_rule == AuditTemplate.ExpectRule.FIRST:
            return conferences.filter(conference_type__in=Conference.INITIAL_TYPES)
        return conferences.filter(
            Q(held_on__gt=F("original_due_date"))
            | Q(held_on__isnull=True, original_due_date__lt=today)
        )
    return conferences
