"""Destroying a child's records (retention.destruction): the child, every row hanging off it
in every app, and their history go; nothing else does; no trace of the child's details is
left anywhere in the database; the access log stays."""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import CharField, ForeignKey, JSONField, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audits.models import AuditQuestion, AuditTemplate, AuditTemplateVersion
from audits.seed import seed_templates
from audits.services import audit_start
from challenges.models import Challenge, ChallengeReason
from challenges.services import challenge_raise
from children.access import access_reason_give
from children.models import Child, ConflictDeclaration
from children.services import s47_record
from iro_service.core.models import AccessLogEntry
from reminders import registry
from reminders.services import rule_scan
from retention import services
from retention.destruction import child_records_destroy, records_of
from tests.factories import ChildFactory
from tests.retention.conftest import MARKERS
from tests.security.access_world import _records
from timescales.models import DueDateChange

pytestmark = pytest.mark.django_db


def rows_with(markers: tuple[str, ...]) -> list[str]:
    """Every model (history included) with a row whose text holds one of ``markers``."""
    found = []
    for model in apps.get_models():
        texts = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, CharField | TextField | JSONField)
        ]
        if not texts:
            continue
        aliases = {f"text_{field.attname}": Cast(field.attname, TextField()) for field in texts}
        condition = Q()
        for alias in aliases:
            for marker in markers:
                condition |= Q(**{f"{alias}__icontains": marker})
        if model._base_manager.alias(**aliases).filter(condition).exists():
            found.append(model._meta.label)
    return found


def pointing_at(child_pk: int) -> list[str]:
    """Every model with a row whose key (or history's copy of one) names the child."""
    return [
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey)
        and field.related_model is Child
        and model._base_manager.filter(**{field.attname: child_pk}).exists()
    ]


@pytest.fixture
def rich_child(people, org, ig):
    """A child with a row of every kind: care, reviews, conferences, core groups, plans,
    visits, a challenge about them alone and one shared with another child, an audit,
    reminders, an access reason, a conflict declaration, a lifted hold, a rejected request."""
    seed_templates(AuditTemplate, AuditTemplateVersion, AuditQuestion)
    child = ChildFactory(
        la_child_id=MARKERS[3],
        first_name=MARKERS[0],
        last_name=MARKERS[1],
        address=f"3 {MARKERS[2]}",
        date_of_birth=date(2012, 4, 1),
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
    )
    _records(child, people["betty"], 9)
    other = ChildFactory(team=org["team"], iro=people["alice"], social_worker=people["sarah"])
    shared = challenge_raise(
        children=[child, other],
        reasons=ChallengeReason.objects.all()[:1],
        what_is_wrong="Both plans drift.",
        impact_on_child="Delay.",
        what_must_happen="Plans.",
        by=people["alice"],
    )
    audit_start(child=child, review=child.reviews.first(), by=people["alice"])
    access_reason_give(child=child, reason=f"Checking {MARKERS[0]}", by=people["terry"])
    ConflictDeclaration.objects.create(
        child=child,
        user=people["bob"],
        reason=f"Neighbour of {MARKERS[1]}",
        declared_by=people["bob"],
    )
    hold = services.legal_hold_place(child=child, reason=f"{MARKERS[0]} claim", by=ig["ivy"])
    services.legal_hold_lift(hold=hold, reason="Settled", by=ig["ivy"])
    other_enquiry = s47_record(
        child=other, start_date=date(2026, 1, 1), strategy_discussion_date=None, by=people["betty"]
    )
    for enquiry in (child.s47_enquiries.get(), other_enquiry):
        DueDateChange.objects.create(
            subject=f"children.s47enquiry:{enquiry.pk}:icpc_due",
            rule_id="CP-1",
            old_due=date(2026, 1, 5),
            new_due=date(2026, 1, 6),
            cause="A council closure day",
        )
    for rule in registry.rules():
        rule_scan(rule.code, today=timezone.localdate())
    AccessLogEntry.objects.create(
        user=people["alice"],
        roles="IRO",
        record_type="child",
        record_id=str(child.pk),
        child_id=child.pk,
        route="children:detail",
        method="GET",
        status_code=200,
    )
    return child, other, shared


def test_destruction_leaves_nothing_of_the_child_and_touches_nothing_else(rich_child):
    child, other, shared = rich_child
    assert set(rows_with(MARKERS)) >= {"children.Child", "children.HistoricalChild"}
    others_before = records_of(other.pk)
    logged = AccessLogEntry.objects.filter(child_id=child.pk).count()

    counts = child_records_destroy(child.pk)

    assert pointing_at(child.pk) == []
    assert rows_with(MARKERS) == []
    for label in (
        "children.Child",
        "children.HistoricalChild",
        "children.PeriodOfCare",
        "children.Episode",
        "children.ChildProtectionPlan",
        "children.ChildEvent",
        "children.AccessReason",
        "children.ConflictDeclaration",
        "reviews.Review",
        "reviews.HistoricalReview",
        "reviews.Decision",
        "reviews.Invitation",
        "conferences.Conference",
        "conferences.HistoricalConference",
        "conferences.CoreGroup",
        "challenges.Challenge",
        "challenges.ChallengeStage",
        "audits.Audit",
        "audits.AuditAnswer",
        "reminders.Reminder",
        "retention.LegalHold",
        "retention.HistoricalLegalHold",
        "retention.ChildRetention",
        "timescales.DueDateChange",
    ):
        assert counts.get(label, 0) >= 1, label
    # The shared challenge stays, about the other child only; the other child is untouched.
    assert list(Challenge.objects.get(pk=shared.pk).children.all()) == [other]
    # (It is now the other child's alone, so it belongs to their records.)
    others_after = records_of(other.pk)
    assert all(ids <= others_after[model] for model, ids in others_before.items())
    assert others_after[Challenge] == {shared.pk}
    assert DueDateChange.objects.count() == 1  # the other child's
    # The access log is append-only and holds no case details: it stays.
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == logged


def test_a_challenge_about_the_child_alone_goes_and_one_shared_stays(rich_child):
    child, _other, shared = rich_child
    own = Challenge.objects.filter(children=child).exclude(pk=shared.pk).get()
    child_records_destroy(child.pk)
    assert not Challenge.objects.filter(pk=own.pk).exists()
    assert Challenge.objects.filter(pk=shared.pk).exists()
    assert Challenge.history.model.objects.filter(id=own.pk).count() == 0
