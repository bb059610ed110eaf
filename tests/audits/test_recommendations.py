"""Recommendations: made to the social worker or team manager, reminded, tracked to done."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import AuditRecommendation
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from iro_service.core.forms import date_input_data
from reminders.models import Reminder
from reminders.services import rule_scan

from .factories import completed_audit, held_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(child, people):
    review = held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    return completed_audit(people["alice"], review=review, pep_available="no")


def _add(audit, people, role="social_worker", due=None, **kwargs):
    return services.recommendation_add(
        audit=audit,
        text="Make sure the PEP is in place before the next review.",
        owner_role=role,
        due_date=due or timezone.localdate() + timedelta(days=30),
        by=people["alice"],
        **kwargs,
    )


def test_a_recommendation_goes_to_the_childs_social_worker_or_team_manager(audit, people):
    assert _add(audit, people).owner == people["sarah"]
    assert _add(audit, people, role="team_manager").owner == people["terry"]


def test_a_recommendation_needs_an_owner_a_future_date_and_the_auditor(audit, people, child):
    with pytest.raises(RuleViolation) as error:
        _add(audit, people, due=timezone.localdate() - timedelta(days=1))
    assert error.value.field == "due_date"
    child.social_worker = None
    child.save(update_fields=["social_worker"])
    with pytest.raises(RuleViolation) as error:
        _add(audit, people)
    assert error.value.message == "The child has no allocated social worker."
    with pytest.raises(NotPermitted):
        services.recommendation_add(
            audit=audit,
            text="x",
            owner_role="team_manager",
            due_date=timezone.localdate(),
            by=people["bob"],
        )


def test_the_owner_and_the_iro_are_reminded_without_the_childs_name(audit, people, child):
    recommendation = _add(audit, people, due=date(2030, 6, 14))
    result = rule_scan("AUD-REC", today=date(2030, 6, 7))  # 5 WD before
    assert result.inserted == 2
    reminders = Reminder.objects.filter(rule="AUD-REC")
    assert {r.recipient_id for r in reminders} == {people["sarah"].pk, people["alice"].pk}
    for reminder in reminders:
        assert audit.reference in reminder.message
        assert child.first_name not in reminder.message
    assert rule_scan("AUD-REC", today=date(2030, 6, 7)).inserted == 0
    services.recommendation_mark_done(recommendation=recommendation, note="", by=people["sarah"])
    assert rule_scan("AUD-REC", today=date(2030, 6, 17)).inserted == 0


def test_a_recommendation_is_tracked_to_done_once(audit, people):
    recommendation = _add(audit, people)
    with pytest.raises(NotPermitted):
        services.recommendation_mark_done(recommendation=recommendation, note="", by=people["bob"])
    done = services.recommendation_mark_done(
        recommendation=recommendation, note="PEP meeting held", by=people["sarah"]
    )
    assert (done.status, done.done_on, done.done_note) == (
        "done",
        timezone.localdate(),
        "PEP meeting held",
    )
    with pytest.raises(InvalidTransition):
        services.recommendation_mark_done(recommendation=done, note="", by=people["alice"])
    assert done.history.count() == 2


def test_the_owner_sees_and_closes_their_recommendations_in_the_pages(client, audit, people):
    recommendation = _add(audit, people)
    client.force_login(people["sarah"])
    page = client.get(reverse("audits:recommendations"))
    assert recommendation.text in page.content.decode()
    url = reverse("audits:recommendation_done", args=[audit.pk, recommendation.pk])
    response = client.post(url, {"note": "Done"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == AuditRecommendation.Status.DONE
    client.force_login(people["charlie"])
    assert client.get(url).status_code == 404


def test_the_iro_adds_a_recommendation_through_the_page(client, audit, people):
    client.force_login(people["alice"])
    due = timezone.localdate() + timedelta(days=14)
    response = client.post(
        reverse("audits:recommend", args=[audit.pk]),
        {
            "text": "Hold a PEP meeting",
            "owner_role": "team_manager",
            **date_input_data("due_date", due),
        },
    )
    assert response.status_code == 302
    assert audit.recommendations.get().owner == people["terry"]
    client.force_login(people["bob"])
    assert client.get(reverse("audits:recommend", args=[audit.pk])).status_code == 403
