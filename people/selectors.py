"""Reads for staff and teams."""

from collections.abc import Iterable

from django.db.models import QuerySet

from people.models import Team, User
from people.roles import Role


def team_subtree_ids(team_ids: set[int]) -> set[int]:
    """The ids of the given teams and every team below them.

    The tree is small (tens of teams) and shallow, so one query for all edges and a walk
    in memory beats a recursive query that SQLite and PostgreSQL would spell differently.
    """
    edges = list(Team.objects.values_list("id", "parent_id"))
    return _below(team_ids, edges)


def _below(team_ids: set[int], edges: list[tuple[int, int | None]]) -> set[int]:
    found = set(team_ids)
    frontier = set(team_ids)
    while frontier:
        frontier = {child for child, parent in edges if parent in frontier} - found
        found |= frontier
    return found


def teams_managed_by(user: User) -> frozenset[int]:
    """Teams whose manager the user is, with everything beneath them: one read of the team
    tree, kept on the user object. The signed-in user lives for one request (as its roles
    do), and every scoped read of the request asks this again."""
    cached = user.__dict__.get("_teams_managed")
    if cached is None:
        teams = list(Team.objects.values_list("id", "parent_id", "manager_id"))
        managed = {team for team, _, manager in teams if manager == user.pk}
        edges = [(team, parent) for team, parent, _ in teams]
        cached = frozenset(_below(managed, edges)) if managed else frozenset()
        user.__dict__["_teams_managed"] = cached
    return cached


def users_with_roles(roles: Iterable[Role]) -> QuerySet[User]:
    """Active users holding any of ``roles``, each once, by name."""
    names = [role.value for role in roles]
    return (
        User.objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
