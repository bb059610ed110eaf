"""The health assessment (H-1, H-2) and PEP (E-1) questions are prefilled from the dates on
the child's record: in date at the review, with the dates as the evidence."""

from datetime import date

import pytest

from audits import services
from audits.models import Audit, AuditQuestion, AuditTemplate
from audits.prefill import PrefillContext, suggest
from children import services as child_services
from tests.factories import ChildFactory

from .factories import answer_all, held_review, period

pytestmark = pytest.mark.django_db

# The factories' period of care starts Mon 6 Jan 2025: E-1 is due Mon 20 Jan (10 WD) and
# H-1 Mon 3 Feb (20 WD). The review is held Thu 10 Jul 2025.
HELD = date(2025, 7, 10)


def _rows(audit: Audit) -> dict:
    return {row.question.code: row for row in audit.answers.select_related("question")}


def _start(child, people, **review_fields) -> dict:
    review = held_review(child, due=date(2025, 7, 6), held=HELD, **review_fields)
    return _rows(services.audit_start(child=child, review=review, by=people["alice"]))


def test_the_seeded_questions_use_the_date_prefillers():
    version = AuditTemplate.objects.get(code="cla_review").versions.get(number=1)
    prefills = dict(AuditQuestion.objects.filter(version=version).values_list("code", "prefill"))
    assert prefills["health_assessment"] == "health_assessment_in_date"
    assert prefills["pep_available"] == "pep_in_date"


def test_an_assessment_in_date_at_the_review_suggests_yes(child, people):
    period(child)
    child_services.health_assessment_record(
        child=child, completed_on=date(2025, 1, 20), by=people["sarah"]
    )
    row = _start(child, people)["health_assessment"]
    assert row.suggested_answer == "yes"
    assert row.evidence == (
        "Last health assessment (initial) 20 January 2025; next due by 20 January 2026: "
        "in date at the review on 10 July 2025."
    )


def test_a_pep_out_of_date_at_the_review_suggests_no(child, people):
    period(child)
    child_services.pep_record(child=child, completed_on=date(2025, 1, 15), by=people["sarah"])
    row = _start(child, people)["pep_available"]
    # E-1-REVIEW: the next PEP was due 4 months on, by 15 May, before the review.
    assert row.suggested_answer == "no"
    assert row.evidence == (
        "Last PEP (initial) 15 January 2025; next was due by 15 May 2025: "
        "out of date at the review on 10 July 2025."
    )


def test_dates_after_the_review_do_not_count_and_none_before_it_is_overdue(child, people):
    period(child)
    child_services.pep_record(child=child, completed_on=date(2025, 8, 1), by=people["sarah"])
    row = _start(child, people)["pep_available"]
    assert row.suggested_answer == "no"
    assert row.evidence == (
        "No PEP recorded in this period of care; the first was due by 20 January 2025: "
        "overdue at the review on 10 July 2025."
    )


def test_nothing_yet_due_at_the_meeting_is_not_applicable(child, people):
    period(child)
    child_services.health_assessment_record(
        child=child, completed_on=date(2025, 1, 25), by=people["sarah"]
    )
    review = held_review(child, due=date(2025, 2, 3), held=date(2025, 1, 17), rule="CLA-1")
    suggestion = suggest(
        "health_assessment_in_date",
        PrefillContext(child=child, review=review, conference=None, today=date(2025, 3, 1)),
    )
    assert suggestion is not None
    assert suggestion.answer == "na"
    assert "the first is due by 03 February 2025, after the review on 17 January 2025" in (
        suggestion.evidence
    )


def test_with_no_dates_recorded_the_schedule_7_record_is_the_evidence(child, people):
    rows = _start(child, people, schedule7={"health": {"considered": False, "notes": ""}})
    assert rows["health_assessment"].suggested_answer == "no"
    assert rows["health_assessment"].evidence == (
        "The review record says the health assessment and health plan was not considered."
    )
    assert rows["pep_available"].suggested_answer == ""  # neither dates nor Schedule 7


def test_the_iro_changing_the_date_based_suggestion_is_recorded(child, people):
    period(child)
    child_services.pep_record(child=child, completed_on=date(2025, 1, 15), by=people["sarah"])
    rows = _start(child, people)
    audit = rows["pep_available"].audit
    answers = answer_all(audit, "yes")
    services.audit_save_draft(audit=audit, answers=answers, summary="", by=people["alice"])
    pep = audit.answers.get(question__code="pep_available")
    assert (pep.answer, pep.suggested_answer, pep.changed_from_suggestion) == ("yes", "no", True)


def test_no_pep_due_at_the_meeting_for_a_young_person_about_to_turn_18_is_not_applicable(
    people, org
):
    # 18 on 1 May 2025: the review of the 15 January PEP would fall due on 15 May, after it
    # (E-1-END-AGE), so no PEP was due at the review.
    child = ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=date(2007, 5, 1),
    )
    period(child)
    child_services.pep_record(child=child, completed_on=date(2025, 1, 15), by=people["sarah"])
    row = _start(child, people)["pep_available"]
    assert row.suggested_answer == "na"
    assert row.evidence == "No PEP was due at the review on 10 July 2025."
