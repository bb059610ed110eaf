"""Reads for staff and teams."""

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet

from people.models import Team, User
from people.roles import Role


def _below(children: Mapping[int, list[int]], team_ids: set[int]) -> set[int]:
    """The given teams and every team below them, walking the tree (each team's children)
    in memory: only the subtrees, not every edge once per level."""
    found = set(team_ids)
    frontier = list(team_ids)
    while frontier:
        frontier = [team for parent in frontier for team in children.get(parent, ())]
        frontier = [team for team in frontier if team not in found]
        found.update(frontier)
    return found


def teams_managed_by(user: User) -> frozenset[int]:
    """Teams whose manager the user is, with everything beneath them: one read of the team
    tree, kept on the user object. The signed-in user lives for one request (as its roles
    do), and every scoped read of the request asks this again."""
    cached = user.__dict__.get("_teams_managed")
    if cached is None:
        cached = frozenset(teams_managed_by_each([user.pk]).get(user.pk, ()))
        user.__dict__["_teams_managed"] = cached
    return cached


def teams_managed_by_each(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """``teams_managed_by`` for many users at once, from one query: each user who manages a
    team -> those teams with everything beneath them (users managing none are left out)."""
    wanted = set(user_ids)
    teams = list(Team.objects.values_list("id", "parent_id", "manager_id"))
    children: dict[int, list[int]] = {}
    roots: dict[int, set[int]] = {}
    for team, parent, manager in teams:
        if parent is not None:
            children.setdefault(parent, []).append(team)
        if manager in wanted:
            roots.setdefault(manager, set()).add(team)
    return {manager: _below(children, managed) for manager, managed in roots.items()}


def role_holders_by_team(roles: Iterable[Role]) -> tuple[dict[int, list[int]], list[int]]:
    """The active holders of ``roles``, for each team: those in it and those managing it or
    a team above it; and every holder, for a team with none (two queries: the holders,
    the team tree). Reminders that a team's own people act on (business support booking
    its IROs' reviews, the IRO service manager over an IRO) go to these (issue 11)."""
    holders = list(users_with_roles(roles).values_list("pk", "team_id"))
    by_team: dict[int, list[int]] = {}
    for pk, team in holders:
        if team is not None:
            by_team.setdefault(team, []).append(pk)
    managers = teams_managed_by_each(pk for pk, _ in holders)
    for manager, teams in managers.items():
        for team in teams:
            people = by_team.setdefault(team, [])
            if manager not in people:
                people.append(manager)
    return by_team, [pk for pk, _ in holders]


def users_with_roles(roles: Iterable[Role]) -> QuerySet[User]:
    """Active users holding any of ``roles``, each once, by name."""
    names = [role.value for role in roles]
    return (
        User.objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
