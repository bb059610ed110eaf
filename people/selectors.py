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
    found = set(team_ids)
    frontier = set(team_ids)
    while frontier:
        frontier = {child for child, parent in edges if parent in frontier} - found
        found |= frontier
    return found


def teams_managed_by(user: User) -> set[int]:
    """Teams whose manager the user is, with everything beneath them."""
    managed = set(Team.objects.filter(manager=user).values_list("id", flat=True))
    return team_subtree_ids(managed) if managed else set()


def users_with_roles(roles: Iterable[Role]) -> QuerySet[User]:
    """Active users holding any of ``roles``, each once, by name."""
    names = [role.value for role in roles]
    return (
        User.objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
