"""``children_visible_pairs`` answers, for many users and children at once, exactly what
``children_visible_to`` answers for each user: table-driven over every role and every
relationship to a child (SECURITY.md), then over random organisations (Hypothesis), and in
a number of queries that does not grow with the users or children."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from children.models import AccessReason, Child, ConflictDeclaration
from children.selectors import children_visible_pairs, children_visible_to
from iro_service.core.policy import SCOPE, Relationship, Scope, sees
from people.models import Team, User
from people.roles import Role
from people.services import user_set_roles
from tests.conftest import make_user
from tests.factories import ChildFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def expected_pairs(users: list[User], children: list[Child]) -> set[tuple[int, int]]:
    """The pairs ``children_visible_to`` allows, one user at a time."""
    wanted = [child.pk for child in children]
    return {
        (user.pk, pk)
        for user in User.objects.filter(pk__in=[user.pk for user in users])
        for pk in children_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True)
    }


def all_pairs(users: list[User], children: list[Child]) -> set[tuple[int, int]]:
    return {(user.pk, child.pk) for user in users for child in children}


# --- every role x every relationship ------------------------------------------------------

# Where each role works in the organisation below (heads of service manage service A, the
# director the whole tree, the team manager team A).
HOME = {
    Scope.AUTHORITY: "iro_team",
    Scope.TEAM: "team_a",
    Scope.TREE: "service_a",
    Scope.NONE: None,
}
# Extra ways of standing to a child beyond policy.Relationship, which the selector also
# answers: a reason given and not expired (managers only), an expired one, no team at all.
EXTRA = ("reason given", "reason expired", "no team")


@pytest.fixture
def org(db: None) -> dict[str, Team]:
    root = TeamFactory(name="Pairs directorate", level=Team.Level.DIRECTORATE)
    service_a = TeamFactory(name="Pairs service A", level=Team.Level.SERVICE, parent=root)
    service_b = TeamFactory(name="Pairs service B", level=Team.Level.SERVICE, parent=root)
    return {
        "root": root,
        "service_a": service_a,
        "team_a": TeamFactory(name="Pairs team A", parent=service_a),
        "team_a2": TeamFactory(name="Pairs team A2", parent=service_a),
        "team_b": TeamFactory(name="Pairs team B", parent=service_b),
        "iro_team": TeamFactory(name="Pairs IROs", parent=root),
        # Outside everyone's tree, the director's included: "other team" for every role.
        "outside": TeamFactory(name="Pairs elsewhere", level=Team.Level.DIRECTORATE),
    }


def user_for(role: Role, org: dict[str, Team]) -> User:
    home = HOME[SCOPE[role]]
    user = make_user(f"pairs-{role.name.lower()}", role, org[home] if home else None)
    managed = {Role.TEAM_MANAGER: "team_a", Role.HEAD_OF_SERVICE: "service_a"}.get(role)
    if role is Role.DIRECTOR:
        managed = "root"
    if managed:
        org[managed].manager = user
        org[managed].save(update_fields=["manager"])
    return user


def child_for(user: User, how: str, org: dict[str, Team]) -> Child:
    """A child standing to ``user`` in relationship ``how``."""
    home = org[HOME[SCOPE[next(iter(user.roles))]] or "team_a"]
    # A team below the one they sit in or manage: team A2 sits under service A.
    inside = org["team_a2"] if home == org["service_a"] else home
    if how == Relationship.ALLOCATED:
        child = ChildFactory(team=org["outside"])
        if user.has_role(Role.IRO, Role.SENIOR_IRO, Role.IRO_MANAGER):
            child.iro = user
        else:
            child.social_worker = user
        child.save()
        return child
    if how == Relationship.SAME_TEAM:
        return ChildFactory(team=inside)
    if how in (Relationship.OTHER_TEAM, "reason given", "reason expired"):
        child = ChildFactory(team=org["outside"])
        if how != Relationship.OTHER_TEAM:
            expires = timezone.now() + timedelta(hours=1 if how == "reason given" else -1)
            AccessReason.objects.create(
                child=child,
                user=user,
                roles="",
                reason="To check a referral.",
                given_on=timezone.localdate(),
                expires_at=expires,
            )
        return child
    if how == "no team":
        return ChildFactory(team=None)
    child = ChildFactory(team=inside, restricted=how != Relationship.CONFLICT)
    if how == Relationship.ALLOW_LISTED:
        child.allowed_users.add(user)
    if how == Relationship.CONFLICT:
        ConflictDeclaration.objects.create(
            child=child, user=user, reason="Family", declared_by=user
        )
    return child


RELATIONSHIPS = [*Relationship, *EXTRA]


@pytest.fixture
def world(org):
    users = {role: user_for(role, org) for role in Role}
    children = {
        (role, how): child_for(users[role], how, org) for role in Role for how in RELATIONSHIPS
    }
    return users, children


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_each_role_in_each_relationship_matches_children_visible_to(org, role):
    user = user_for(role, org)
    children = {how: child_for(user, how, org) for how in RELATIONSHIPS}
    found = children_visible_pairs(all_pairs([user], list(children.values())))
    assert found == expected_pairs([user], list(children.values()))
    # Both agree with the policy table wherever it speaks (a head of service or the
    # director holds no allocations, so "allocated" is not theirs to have).
    for how, child in children.items():
        if how in EXTRA or (how == Relationship.ALLOCATED and SCOPE[role] is Scope.TREE):
            continue
        assert ((user.pk, child.pk) in found) == sees(role, Relationship(how)), how


def test_every_user_with_every_child_at_once_matches_children_visible_to(world):
    users, children = world
    everyone, every_child = list(users.values()), list(children.values())
    assert children_visible_pairs(all_pairs(everyone, every_child)) == expected_pairs(
        everyone, every_child
    )


def test_a_user_with_two_roles_sees_what_either_role_sees(world, org):
    users, children = world
    both = users[Role.PERFORMANCE]
    user_set_roles(user=both, roles=[Role.PERFORMANCE, Role.SOCIAL_WORKER])
    both.team = org["team_a"]
    both.save(update_fields=["team"])
    every_child = list(children.values())
    assert children_visible_pairs(all_pairs([both], every_child)) == expected_pairs(
        [both], every_child
    )


def test_inactive_users_and_unknown_children_see_nothing(world):
    users, children = world
    iro = users[Role.IRO]
    iro.is_active = False
    iro.save(update_fields=["is_active"])
    some_child = children[(Role.IRO, Relationship.SAME_TEAM)]
    assert children_visible_pairs([(iro.pk, some_child.pk)]) == set()
    assert children_visible_pairs([(users[Role.IRO_MANAGER].pk, 10**9)]) == set()
    assert children_visible_pairs([]) == set()


def test_queries_do_not_grow_with_users_or_children(org):
    def count(n_users: int, n_children: int) -> int:
        roles = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.IRO]
        users = [
            make_user(f"count-{n_users}-{i}", roles[i % 4], org["team_a"]) for i in range(n_users)
        ]
        children = [
            ChildFactory(team=org["team_a"], restricted=i % 3 == 0) for i in range(n_children)
        ]
        children[0].allowed_users.add(users[0])
        ConflictDeclaration.objects.create(
            child=children[1], user=users[1], reason="Family", declared_by=users[1]
        )
        with CaptureQueriesContext(connection) as queries:
            children_visible_pairs(all_pairs(users, children))
        return len(queries.captured_queries)

    org["team_a"].manager = make_user("count-manager", Role.TEAM_MANAGER, org["team_a"])
    org["team_a"].save(update_fields=["manager"])
    assert count(2, 5) == count(20, 50) <= 6


# --- random organisations ---------------------------------------------------------------

ROLE_SETS = st.lists(st.sampled_from(list(Role)), max_size=2, unique=True)


@st.composite
def organisations(draw):  # type: ignore[no-untyped-def]
    """Teams in a tree, users with any roles in any team, children in any team allocated to
    anyone, some restricted with allow-lists, conflicts and reasons (live or expired)."""
    n_teams = draw(st.integers(1, 4))
    parents = [draw(st.none() | st.integers(0, i - 1)) if i else None for i in range(n_teams)]
    n_users = draw(st.integers(1, 5))
    users = [
        {
            "roles": draw(ROLE_SETS),
            "team": draw(st.none() | st.integers(0, n_teams - 1)),
            "active": draw(st.booleans() | st.just(True)),
        }
        for _ in range(n_users)
    ]
    managers = [draw(st.none() | st.integers(0, n_users - 1)) for _ in range(n_teams)]
    someone = st.none() | st.integers(0, n_users - 1)
    children = [
        {
            "team": draw(st.none() | st.integers(0, n_teams - 1)),
            "social_worker": draw(someone),
            "iro": draw(someone),
            "restricted": draw(st.booleans()),
            "allowed": draw(st.sets(st.integers(0, n_users - 1))),
        }
        for _ in range(draw(st.integers(1, 6)))
    ]
    n_children = len(children)
    pair = st.tuples(st.integers(0, n_users - 1), st.integers(0, n_children - 1))
    return {
        "parents": parents,
        "managers": managers,
        "users": users,
        "children": children,
        "conflicts": draw(st.sets(pair, max_size=3)),
        "reasons": draw(st.sets(st.tuples(pair, st.booleans()), max_size=3)),
    }


def build(world: dict) -> tuple[list[User], list[Child]]:
    teams: list[Team] = []
    for parent in world["parents"]:
        teams.append(TeamFactory(parent=teams[parent] if parent is not None else None))
    users = []
    for spec in world["users"]:
        team = teams[spec["team"]] if spec["team"] is not None else None
        user = UserFactory(team=team, is_active=spec["active"])
        user_set_roles(user=user, roles=spec["roles"])
        users.append(user)
    for team, manager in zip(teams, world["managers"], strict=True):
        if manager is not None:
            team.manager = users[manager]
            team.save(update_fields=["manager"])

    def who(index: int | None) -> User | None:
        return users[index] if index is not None else None

    children = []
    for spec in world["children"]:
        child = ChildFactory(
            team=teams[spec["team"]] if spec["team"] is not None else None,
            social_worker=who(spec["social_worker"]),
            iro=who(spec["iro"]),
            restricted=spec["restricted"],
        )
        child.allowed_users.set([users[i] for i in spec["allowed"]])
        children.append(child)
    for user, child in world["conflicts"]:
        ConflictDeclaration.objects.create(
            child=children[child], user=users[user], reason="Family", declared_by=users[user]
        )
    for (user, child), live in world["reasons"]:
        AccessReason.objects.create(
            child=children[child],
            user=users[user],
            roles="",
            reason="To check a referral.",
            given_on=timezone.localdate(),
            expires_at=timezone.now() + timedelta(hours=1 if live else -1),
        )
    return users, children


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=organisations())
def test_any_organisation_gives_the_same_answer_as_children_visible_to(db, world):
    with transaction.atomic():
        users, children = build(world)
        assert children_visible_pairs(all_pairs(users, children)) == expected_pairs(users, children)
        transaction.set_rollback(True)
