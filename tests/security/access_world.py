"""The data the access-matrix test requests routes against: one user per role, and one
child per relationship to them (allocated, same team, other team, allow-listed,
restricted, conflict), each with a row of every record kind a route can name.

Built once per module, through the services where they are simple to call (so the rows
are in states the application allows) and directly where a workflow would take many steps.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from challenges import workflow
from challenges.clinic_services import clinic_schedule
from challenges.models import (
    Approval,
    CafcassReferral,
    Challenge,
    ChallengeReason,
    ClinicAction,
    RecoveryAction,
)
from challenges.services import challenge_raise
from children import services as child_services
from children.models import Child, ConflictDeclaration
from children.rules import EpisodeValues
from conferences import services as conference_services
from iro_service.core.policy import Relationship
from people.models import Team, User
from people.roles import Role
from reviews import services as review_services
from reviews.models import Decision
from tests.conftest import make_user
from tests.factories import ChildFactory, TeamFactory
from timescales.models import ExtraNonWorkingDay


@dataclass
class World:
    users: dict[Role, User]
    children: dict[str, Child]
    support: User


def _org() -> dict[str, Team]:
    root = TeamFactory(name="Matrix directorate", level=Team.Level.DIRECTORATE)
    service_a = TeamFactory(name="Matrix service A", level=Team.Level.SERVICE, parent=root)
    service_b = TeamFactory(name="Matrix service B", level=Team.Level.SERVICE, parent=root)
    return {
        "root": root,
        "service_a": service_a,
        "team_a": TeamFactory(name="Matrix team A", parent=service_a),
        "team_b": TeamFactory(name="Matrix team B", parent=service_b),
        "iro_team": TeamFactory(name="Matrix IROs", parent=root),
    }


def _users(org: dict[str, Team]) -> tuple[dict[Role, User], dict[str, User]]:
    home = {
        Role.IRO: org["iro_team"],
        Role.SENIOR_IRO: org["iro_team"],
        Role.IRO_MANAGER: org["iro_team"],
        Role.BUSINESS_SUPPORT: org["iro_team"],
        Role.SOCIAL_WORKER: org["team_a"],
        Role.TEAM_MANAGER: org["team_a"],
        Role.HEAD_OF_SERVICE: org["service_a"],
        Role.DIRECTOR: org["root"],
    }
    users = {role: make_user(f"matrix-{role.name.lower()}", role, home.get(role)) for role in Role}
    for key, role in (
        ("team_a", Role.TEAM_MANAGER),
        ("service_a", Role.HEAD_OF_SERVICE),
        ("root", Role.DIRECTOR),
    ):
        org[key].manager = users[role]
        org[key].save(update_fields=["manager"])
    extras = {
        "iro2": make_user("matrix-iro2", Role.IRO, org["iro_team"]),
        "sw_a2": make_user("matrix-sw-a2", Role.SOCIAL_WORKER, org["team_a"]),
        "sw_b": make_user("matrix-sw-b", Role.SOCIAL_WORKER, org["team_b"]),
    }
    # Team B's managers answer its challenges, so no persona is drawn in by the chain.
    team_b = org["team_b"]
    team_b.manager = make_user("matrix-tm-b", Role.TEAM_MANAGER, team_b)
    team_b.save(update_fields=["manager"])
    team_b.parent.manager = make_user("matrix-hos-b", Role.HEAD_OF_SERVICE, team_b.parent)
    team_b.parent.save(update_fields=["manager"])
    return users, extras


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _records(child: Child, support: User, hour: int) -> None:
    """A row of every kind a route names, under ``child``."""
    today = timezone.localdate()
    chair = child.iro
    child_services.allocation_start(
        child=child, kind="iro", user=chair, start_date=today - timedelta(days=90), by=support
    )
    child_services.episode_add(
        child=child,
        by=support,
        episode=EpisodeValues(
            decom=today - timedelta(days=80),
            rne="S",
            ls="C2",
            cin="N1",
            place="U4",
            place_provider="PR1",
        ),
    )
    review = review_services.review_ensure_next(child, by=support)
    review_services.invitation_add(
        review=review, name="A carer", email="", role="Carer", how="post", by=support
    )
    Decision.objects.create(review=review, text="A decision", owner_role="SW", due_date=today)
    enquiry = child_services.s47_record(
        child=child,
        start_date=today - timedelta(days=60),
        strategy_discussion_date=today - timedelta(days=60),
        by=support,
    )
    conference = conference_services.conference_request_icpc(enquiry=enquiry, by=support)
    day = _next_weekday(today + timedelta(days=7))
    conference = conference_services.conference_schedule(
        conference=conference,
        chair=chair,
        start=timezone.make_aware(datetime.combine(day, time(hour))),
        end=timezone.make_aware(datetime.combine(day, time(hour, 45))),
        room=None,
        online_link="https://meet.example.org/cpc",
        late_reason="family_request",
        by=support,
    )
    conference_services.invitation_add(
        conference=conference, name="A teacher", agency="education", by=support
    )
    conference_services.report_request(conference=conference, agency="health", by=support)
    plan = child_services.cp_plan_start(
        child=child, start_date=today - timedelta(days=30), categories=["NEG"], by=support
    )
    conference_services.core_group_record(
        plan=plan, held_on=today - timedelta(days=20), attendance="Social worker", by=support
    )
    child_services.visit_record(
        child=child, kind="care", visit_date=today - timedelta(days=5), by=support
    )
    child_services.health_assessment_record(
        child=child, completed_on=today - timedelta(days=70), by=support
    )
    child_services.pep_record(child=child, completed_on=today - timedelta(days=75), by=support)
    challenge = challenge_raise(
        children=[child],
        reasons=ChallengeReason.objects.filter(code="drift-delay"),
        what_is_wrong="The plan is late.",
        impact_on_child="Uncertainty.",
        what_must_happen="A plan.",
        by=chair,
    )
    Approval.objects.create(
        challenge=challenge, target_stage=workflow.STAGE_3, reason="No progress", requested_by=chair
    )
    CafcassReferral.objects.create(
        challenge=challenge,
        referred_on=today,
        reason="No progress",
        what_was_sent="The plan",
        child_wishes="To know",
        referred_by=chair,
    )
    RecoveryAction.objects.create(
        challenge=challenge, stage=challenge.current, text="Write the plan", due_date=today
    )


def _clinic(child: Child, manager: User, owner: User) -> None:
    """A clinic on the child's challenge, chaired by the IRO service manager persona: its
    panel is the head of the child's service, and it invites the child's IRO, social worker
    and team manager (so the personas' involvement follows their relationship to the
    child). Its action is owned by someone who is no persona."""
    starts = timezone.make_aware(
        datetime.combine(_next_weekday(timezone.localdate() + timedelta(days=7)), time(14))
    )
    clinic = clinic_schedule(
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        venue="Room 1",
        panel=[child.team.parent.manager],
        challenges=[Challenge.objects.filter(children=child).get()],
        by=manager,
    )
    ClinicAction.objects.create(
        clinic=clinic, item=clinic.items.get(), text="Review", owner=owner, due_date=starts.date()
    )


def build_world() -> World:
    org = _org()
    users, extras = _users(org)
    support = users[Role.BUSINESS_SUPPORT]
    personas = list(users.values())
    specs = {
        # The child of the IRO and the social worker personas, in team A.
        "allocated": dict(team=org["team_a"], iro=users[Role.IRO], sw=users[Role.SOCIAL_WORKER]),
        "senior allocated": dict(team=org["team_b"], iro=users[Role.SENIOR_IRO], sw=extras["sw_b"]),
        "manager allocated": dict(
            team=org["team_b"], iro=users[Role.IRO_MANAGER], sw=extras["sw_b"]
        ),
        "same team": dict(team=org["team_a"], iro=extras["iro2"], sw=extras["sw_a2"]),
        "other team": dict(team=org["team_b"], iro=extras["iro2"], sw=extras["sw_b"]),
        "allow-listed": dict(team=org["team_b"], iro=extras["iro2"], sw=extras["sw_b"]),
        # Allocated to the personas, but restricted to someone else / declared by them.
        "restricted": dict(team=org["team_a"], iro=users[Role.IRO], sw=users[Role.SOCIAL_WORKER]),
        "conflict": dict(team=org["team_a"], iro=users[Role.IRO], sw=users[Role.SOCIAL_WORKER]),
    }
    children = {}
    for hour, (key, spec) in enumerate(specs.items(), start=8):
        child = ChildFactory(team=spec["team"], iro=spec["iro"], social_worker=spec["sw"])
        _records(child, support, hour)
        _clinic(child, users[Role.IRO_MANAGER], extras["iro2"])
        children[key] = child
    for key, allowed in (("allow-listed", personas), ("restricted", [extras["iro2"]])):
        children[key].restricted = True
        children[key].save(update_fields=["restricted"])
        children[key].allowed_users.set(allowed)
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            child=children["conflict"], user=user, reason="Family", declared_by=user
        )
        for user in personas
    )
    ExtraNonWorkingDay.objects.create(date=date(2026, 12, 29), description="Council closure")
    return World(users=users, children=children, support=support)


def child_relationship_pairs(
    world: World, relationship_to
) -> dict[Role, dict[Relationship, Child]]:
    """For each role, one child in each relationship the world gives them (the first)."""
    pairs: dict[Role, dict[Relationship, Child]] = {}
    for role, user in world.users.items():
        found: dict[Relationship, Child] = {}
        for child in world.children.values():
            found.setdefault(relationship_to(user, child), child)
        pairs[role] = found
    return pairs


def row_for(label: str, child: Child | None) -> Model:
    """A row of model ``label`` under ``child`` (through one or two links), or any row of it
    when ``child`` is None."""
    model = apps.get_model(label)
    if child is None:
        return model._default_manager.order_by("pk").first()
    if model is Child:
        return child
    for path in _paths_to_child(model):
        row = model._default_manager.filter(**{path: child}).order_by("pk").first()
        if row is not None:
            return row
    raise LookupError(f"No {label} under the child: extend tests/security/access_world.py")


def _links(model: type[Model]) -> list[tuple[str, type[Model]]]:
    return [
        (field.name, field.related_model)
        for field in model._meta.get_fields()
        if (field.many_to_one or field.many_to_many) and field.concrete
    ]


def _paths_to_child(model: type[Model]) -> list[str]:
    paths = [name for name, related in _links(model) if related is Child]
    for name, related in _links(model):
        if related is not Child and related is not User:
            paths += [f"{name}__{inner}" for inner, far in _links(related) if far is Child]
    return paths
