"""Writes to audit templates: the administrators' template editor (issue 7 "Templates").

A published version never changes. Editing starts a draft version (a copy of the latest
published one); questions are changed on the draft; publishing it makes it the version new
audits use. Completed and draft audits keep the version they were started on.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits import policies
from audits.models import AuditQuestion, AuditTemplate, AuditTemplateVersion
from audits.prefill import PREFILLERS
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from people.models import User

QUESTION_FIELDS = [
    "section",
    "text",
    "help",
    "is_key",
    "allow_na",
    "rag_yes",
    "rag_partly",
    "rag_no",
    "prefill",
    "basis",
    "ordering",
]


def _require_editor(user: User) -> None:
    if not policies.can_edit_templates(user):
        raise NotPermitted("Only administrators and IRO managers edit audit templates.")


def _full_clean(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleViolation(messages[0], field=None if field == "__all__" else field) from error


def _draft_only(version: AuditTemplateVersion) -> None:
    if version.is_published:
        raise InvalidTransition("A published version cannot change: start a new version.")


@transaction.atomic
def template_settings_update(
    *,
    template: AuditTemplate,
    name: str,
    expect: str,
    sample_percent: int,
    expect_rule: str,
    active: bool,
    by: User,
) -> AuditTemplate:
    """Which meetings expect an audit: every one, a sample by percentage, or by a rule."""
    _require_editor(by)
    if expect == AuditTemplate.Expect.RULE and not expect_rule:
        raise RuleViolation("Choose the rule.", field="expect_rule")
    if expect == AuditTemplate.Expect.PERCENT and not 1 <= sample_percent <= 100:
        raise RuleViolation("Enter a percentage from 1 to 100.", field="sample_percent")
    template.name, template.expect, template.active = name.strip(), expect, active
    template.sample_percent, template.expect_rule = sample_percent, expect_rule
    _full_clean(template)
    template.save(update_fields=["name", "expect", "sample_percent", "expect_rule", "active"])
    return template


@transaction.atomic
def version_draft_start(*, template: AuditTemplate, by: User) -> AuditTemplateVersion:
    """The draft version (made now as a copy of the latest published one if none exists)."""
    _require_editor(by)
    AuditTemplate.objects.select_for_update().get(pk=template.pk)
    draft = template.versions.filter(published_at__isnull=True).first()
    if draft is not None:
        return draft
    latest = template.versions.order_by("-number").first()
    draft = AuditTemplateVersion.objects.create(
        template=template, number=(latest.number + 1) if latest else 1
    )
    if latest is not None:
        AuditQuestion.objects.bulk_create(
            AuditQuestion(
                version=draft,
                code=question.code,
                **{name: getattr(question, name) for name in QUESTION_FIELDS},
            )
            for question in latest.questions.all()
        )
    return draft


def _check_question(question: AuditQuestion) -> None:
    if question.prefill and question.prefill not in PREFILLERS:
        raise RuleViolation("Choose evidence the record can offer.", field="prefill")
    _full_clean(question)


@transaction.atomic
def question_save(
    *, version: AuditTemplateVersion, question: AuditQuestion | None, by: User, **fields: Any
) -> AuditQuestion:
    """Add a question to a draft version, or change one of its questions. The code stays
    the same across versions so themes compare like with like; a new question needs a new
    code."""
    _require_editor(by)
    _draft_only(version)
    if question is None:
        code = str(fields.pop("code", "")).strip()
        if version.questions.filter(code=code).exists():
            raise RuleViolation("Another question already has this code.", field="code")
        question = AuditQuestion(version=version, code=code)
    else:
        fields.pop("code", None)
        if question.version_id != version.pk:
            raise RuleViolation("That question is not part of this version.")
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    _check_question(question)
    question.save()
    return question


@transaction.atomic
def question_remove(*, question: AuditQuestion, by: User) -> None:
    _require_editor(by)
    _draft_only(question.version)
    question.delete()


@transaction.atomic
def version_publish(*, version: AuditTemplateVersion, notes: str, by: User) -> AuditTemplateVersion:
    """Publish the draft: new audits use it from now on."""
    _require_editor(by)
    version = AuditTemplateVersion.objects.select_for_update().get(pk=version.pk)
    _draft_only(version)
    if not version.questions.exists():
        raise RuleViolation("Add at least one question before publishing.")
    version.published_at, version.published_by = timezone.now(), by
    version.notes = notes.strip()
    version.save(update_fields=["published_at", "published_by", "notes"])
    return version
