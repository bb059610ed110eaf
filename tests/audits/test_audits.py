"""Starting, prefilling, drafting and completing audits; who may do what."""

from datetime import date

import pytest
from django.urls import reverse

from audits import services
from audits.models import Audit, AuditEvent, AuditTemplate
from audits.services import AnswerInput
from children.models import Visit
from conferences.models import AgencyReport, CoreGroup
from iro_service.core.errors import NotPermitted, RuleViolation
from reviews.models import ConsultationDocument

from .factories import answer_all, completed_audit, held_conference, held_review

pytestmark = pytest.mark.django_db


def _by_code(audit: Audit) -> dict:
    return {row.question.code: row for row in audit.answers.select_related("question")}


def test_the_two_seeded_templates_exist_with_key_questions():
    cla = AuditTemplate.objects.get(code="cla_review")
    cp = AuditTemplate.objects.get(code="cp_conference")
    assert (cla.kind, cp.kind) == ("cla", "cp")
    cla_codes = set(cla.versions.get(number=1).questions.values_list("code", flat=True))
    assert {"review_in_timescale", "pep_available", "child_views_presented"} <= cla_codes
    cp_questions = cp.versions.get(number=1).questions
    assert set(cp_questions.filter(is_key=True).values_list("code", flat=True)) == {
        "conference_in_timescale",
        "child_seen_often",
        "voice_of_child",
        "core_groups_in_timescale",
    }


def test_a_review_audit_is_prefilled_from_the_record(child, people):
    review = held_review(
        child,
        due=date(2025, 7, 6),
        held=date(2025, 7, 10),
        participation_code="PN7",
        schedule7={"pep": {"considered": True, "notes": ""}},
        sw_report_received_on=date(2025, 7, 1),
        child_prepared=False,
    )
    ConsultationDocument.objects.create(
        review=review, who="child", sent_on=date(2025, 6, 1), returned_on=date(2025, 6, 20)
    )
    ConsultationDocument.objects.create(review=review, who="carer", sent_on=date(2025, 6, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    rows = _by_code(audit)
    assert rows["review_in_timescale"].suggested_answer == "no"  # held four days late
    assert "10 July 2025" in rows["review_in_timescale"].evidence
    assert rows["pep_available"].suggested_answer == "yes"
    assert rows["agencies_sharing_reports"].suggested_answer == "yes"
    assert rows["child_prepared"].suggested_answer == "no"
    assert rows["child_views_presented"].suggested_answer == "no"
    assert rows["consultation_returned"].suggested_answer == "partly"
    assert rows["health_assessment"].suggested_answer == ""  # the record does not say
    # The suggestion is chosen for the IRO to confirm, and the rating follows it.
    assert rows["review_in_timescale"].answer == "no"
    assert audit.suggested_rating == "red"
    assert audit.version.number == 1


def test_a_conference_audit_is_prefilled_with_visits_reports_and_core_groups(child, people):
    conference = held_conference(
        child, due=date(2026, 3, 23), held=date(2026, 3, 20), chair=people["mandy"]
    )
    AgencyReport.objects.create(
        conference=conference,
        agency="police",
        requested_on=date(2026, 3, 2),
        rule_id="CP-10",
        due_date=date(2026, 3, 18),
        received_on=date(2026, 3, 17),
    )
    AgencyReport.objects.create(
        conference=conference,
        agency="health",
        requested_on=date(2026, 3, 2),
        rule_id="CP-10",
        due_date=date(2026, 3, 18),
        received_on=date(2026, 3, 19),
    )
    for day, alone in [(date(2026, 3, 2), True), (date(2026, 3, 9), False)]:
        Visit.objects.create(child=child, kind="protection", visit_date=day, seen_alone=alone)
    plan = child.cp_plans.create(start_date=date(2026, 1, 5))
    CoreGroup.objects.create(
        cp_plan=plan,
        child=child,
        held_on=date(2026, 1, 16),
        rule_id="CP-4",
        due_date=date(2026, 1, 19),
        recorded_by=people["sarah"],
    )
    audit = services.audit_start(child=child, conference=conference, by=people["mandy"])
    rows = _by_code(audit)
    assert rows["conference_in_timescale"].suggested_answer == "yes"
    assert rows["reports_on_time"].suggested_answer == "partly"
    assert rows["reports_on_time"].evidence == "1 of 2 agency reports received by their due date."
    assert rows["child_seen_alone"].suggested_answer == "partly"
    assert rows["bedroom_seen"].suggested_answer == "no"
    assert rows["core_groups_in_timescale"].suggested_answer == "yes"


def test_changing_a_suggested_answer_is_recorded(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    timescale = _by_code(audit)["review_in_timescale"]
    assert (timescale.suggested_answer, timescale.changed_from_suggestion) == ("yes", False)
    answers = answer_all(audit, review_in_timescale="partly")
    services.audit_save_draft(audit=audit, answers=answers, summary="", by=people["alice"])
    timescale.refresh_from_db()
    assert (timescale.answer, timescale.suggested_answer) == ("partly", "yes")
    assert timescale.changed_from_suggestion is True
    assert timescale.history.count() == 2
    # Choosing the suggestion again clears the flag.
    answers = answer_all(audit, review_in_timescale="yes")
    services.audit_save_draft(audit=audit, answers=answers, summary="", by=people["alice"])
    timescale.refresh_from_db()
    assert timescale.changed_from_suggestion is False


def test_starting_twice_returns_the_same_audit(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    first = services.audit_start(child=child, review=review, by=people["alice"])
    again = services.audit_start(child=child, review=review, by=people["alice"])
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(audit=first, kind="started").count() == 1


def test_a_draft_keeps_answers_and_the_suggested_rating(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    answers = answer_all(audit, "yes", pep_available="no")
    audit = services.audit_save_draft(
        audit=audit, answers=answers, summary="Notes", by=people["alice"]
    )
    assert (audit.status, audit.suggested_rating, audit.rating) == ("draft", "red", "")
    answers = answer_all(audit, "yes", advocate_offered="partly")
    audit = services.audit_save_draft(audit=audit, answers=answers, summary="", by=people["alice"])
    assert audit.suggested_rating == "amber"


def test_completing_needs_every_answer(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    answers = answer_all(audit)
    first = next(iter(answers))
    answers[first] = AnswerInput("")
    with pytest.raises(RuleViolation) as error:
        services.audit_complete(
            audit=audit,
            answers=answers,
            summary="",
            rating="",
            override_reason="",
            by=people["alice"],
        )
    assert error.value.field == f"q{first}"


def test_the_rating_is_the_suggestion_unless_overridden_with_a_reason(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    answers = answer_all(audit, "yes", pep_available="no")
    with pytest.raises(RuleViolation) as error:
        services.audit_complete(
            audit=audit,
            answers=answers,
            summary="",
            rating="amber",
            override_reason=" ",
            by=people["alice"],
        )
    assert error.value.field == "override_reason"
    audit = services.audit_complete(
        audit=audit,
        answers=answers,
        summary="",
        rating="amber",
        override_reason="The PEP was late but is now in place.",
        by=people["alice"],
    )
    assert (audit.status, audit.suggested_rating, audit.rating) == ("completed", "red", "amber")
    assert audit.is_overridden and audit.completed_on is not None
    assert AuditEvent.objects.filter(audit=audit, kind="overridden").exists()
    assert child.events.filter(kind="audit_completed").exists()


def test_not_applicable_is_refused_where_the_question_does_not_allow_it(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    question = audit.version.questions.get(code="pep_available")
    question.allow_na = False  # a test-only change to a seeded question
    question.save(update_fields=["allow_na"])
    with pytest.raises(RuleViolation):
        services.audit_save_draft(
            audit=audit,
            answers=answer_all(audit, pep_available="na"),
            summary="",
            by=people["alice"],
        )


def test_only_the_auditor_edits_and_only_while_a_draft(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = services.audit_start(child=child, review=review, by=people["alice"])
    with pytest.raises(NotPermitted):
        services.audit_save_draft(audit=audit, answers={}, summary="", by=people["bob"])
    with pytest.raises(NotPermitted):
        services.audit_start(child=child, review=review, by=people["sarah"])
    with pytest.raises(NotPermitted):
        services.audit_start(child=child, review=review, by=people["bob"])
    done = completed_audit(people["alice"], review=review)
    with pytest.raises(NotPermitted):
        services.audit_save_draft(audit=done, answers={}, summary="", by=people["alice"])


def test_a_social_worker_of_another_team_gets_404s(client, child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = completed_audit(people["alice"], review=review)
    client.force_login(people["charlie"])
    assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 404
    assert client.post(reverse("audits:start_review", args=[review.pk])).status_code == 404
    assert client.get(f"/api/v1/audits/{audit.pk}/").status_code == 404
    client.force_login(people["sarah"])
    assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 200
    assert client.get(reverse("audits:edit", args=[audit.pk])).status_code == 302


def test_viewing_an_audit_is_written_to_the_access_log(client, child, people):
    from iro_service.core.models import AccessLogEntry

    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    audit = completed_audit(people["alice"], review=review)
    client.force_login(people["mandy"])
    client.get(reverse("audits:detail", args=[audit.pk]))
    entry = AccessLogEntry.objects.get(route="audits:detail")
    assert (entry.record_type, entry.record_id, entry.child_id) == (
        "audit",
        str(audit.pk),
        child.pk,
    )


def test_visits_are_judged_by_the_cp_visiting_rule(child, people):
    """CP-11: the next visit is due 10 WD after the latest; an old visit makes it overdue."""
    conference = held_conference(
        child, due=date(2026, 3, 23), held=date(2026, 3, 20), chair=people["mandy"]
    )
    child.cp_plans.create(start_date=date(2025, 1, 6))
    Visit.objects.create(child=child, kind="protection", visit_date=date(2025, 2, 3))
    audit = services.audit_start(child=child, conference=conference, by=people["mandy"])
    seen = _by_code(audit)["child_seen_often"]
    assert seen.suggested_answer == "no"
    assert "overdue" in seen.evidence
