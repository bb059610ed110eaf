"""Template versions: a published version never changes; publishing a draft makes the
version new audits use; completed audits keep theirs."""

from datetime import date

import pytest
from django.urls import reverse

from audits import template_services
from audits.models import AuditTemplate
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation

from .factories import completed_audit, held_review

pytestmark = pytest.mark.django_db


def _cla() -> AuditTemplate:
    return AuditTemplate.objects.get(code="cla_review")


def test_a_new_version_copies_the_questions_and_publishing_moves_new_audits_to_it(child, people):
    old = completed_audit(
        people["alice"], review=held_review(child, due=date(2025, 7, 6), held=date(2025, 7, 1))
    )
    mandy = people["mandy"]
    draft = template_services.version_draft_start(template=_cla(), by=mandy)
    assert draft.number == 2 and not draft.is_published
    assert draft.questions.count() == old.version.questions.count()
    assert template_services.version_draft_start(template=_cla(), by=mandy) == draft
    pep = draft.questions.get(code="pep_available")
    template_services.question_save(
        version=draft,
        question=pep,
        by=mandy,
        text="Was an up-to-date PEP available?",
        is_key=False,
    )
    template_services.question_save(
        version=draft,
        question=None,
        by=mandy,
        code="sdq_completed",
        text="Was an SDQ completed?",
        ordering=999,
    )
    template_services.version_publish(version=draft, notes="PEP not key; SDQ added", by=mandy)

    new = completed_audit(
        people["alice"],
        review=held_review(child, due=date(2025, 10, 6), held=date(2025, 10, 1)),
        pep_available="no",
    )
    assert (old.version.number, new.version.number) == (1, 2)
    assert new.rating == "amber"  # no longer a key question
    assert new.answers.filter(question__code="sdq_completed").exists()
    old.refresh_from_db()
    assert not old.answers.filter(question__code="sdq_completed").exists()
    assert old.version.questions.get(code="pep_available").is_key is True


def test_a_published_version_cannot_change(people):
    version = _cla().versions.get(number=1)
    question = version.questions.first()
    with pytest.raises(InvalidTransition):
        template_services.question_save(
            version=version, question=question, by=people["mandy"], text="Changed"
        )
    with pytest.raises(InvalidTransition):
        template_services.question_remove(question=question, by=people["mandy"])
    with pytest.raises(InvalidTransition):
        template_services.version_publish(version=version, notes="", by=people["mandy"])


def test_question_codes_are_unique_within_a_version_and_only_editors_edit(people):
    draft = template_services.version_draft_start(template=_cla(), by=people["mandy"])
    with pytest.raises(RuleViolation) as error:
        template_services.question_save(
            version=draft, question=None, by=people["mandy"], code="pep_available", text="Again"
        )
    assert error.value.field == "code"
    with pytest.raises(NotPermitted):
        template_services.version_draft_start(template=_cla(), by=people["alice"])


def test_the_expected_audits_setting_is_validated(people):
    with pytest.raises(RuleViolation) as error:
        template_services.template_settings_update(
            template=_cla(),
            name="CLA",
            expect="rule",
            sample_percent=100,
            expect_rule="",
            active=True,
            by=people["mandy"],
        )
    assert error.value.field == "expect_rule"


def test_the_template_editor_pages(client, people):
    template = _cla()
    client.force_login(people["alice"])
    assert client.get(reverse("audits:templates")).status_code == 403
    client.force_login(people["mandy"])
    assert client.get(reverse("audits:templates")).status_code == 200
    response = client.post(reverse("audits:version_new", args=[template.pk]))
    assert response.status_code == 302 and response.url.endswith("?version=2")
    page = client.get(response.url)
    assert "Publish version 2" in page.content.decode()
    added = client.post(
        reverse("audits:question_add", args=[template.pk, 2]),
        {
            "code": "life_story",
            "section": "",
            "text": "Is life-story work under way?",
            "help": "",
            "allow_na": "on",
            "rag_yes": "green",
            "rag_partly": "amber",
            "rag_no": "red",
            "prefill": "",
            "basis": "",
            "ordering": "500",
        },
    )
    assert added.status_code == 302
    published = client.post(
        reverse("audits:version_publish", args=[template.pk, 2]), {"notes": "Life story"}
    )
    assert published.status_code == 302
    version = template.versions.get(number=2)
    assert version.is_published and version.questions.filter(code="life_story").exists()
    settings = client.post(
        reverse("audits:template_settings", args=[template.pk]),
        {
            "name": template.name,
            "expect": "percent",
            "sample_percent": "25",
            "expect_rule": "",
            "active": "on",
        },
    )
    assert settings.status_code == 302
    template.refresh_from_db()
    assert (template.expect, template.sample_percent) == ("percent", 25)
