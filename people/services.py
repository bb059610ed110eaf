"""Writes for staff and teams."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from people.models import Team, User
from people.roles import Role


def roles_sync() -> list[str]:
    """Create a group for every role that lacks one; returns the names created."""
    created = []
    for role in Role:
        _, was_created = Group.objects.get_or_create(name=role.value)
        if was_created:
            created.append(role.value)
    return created


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role]) -> User:
    """Replace the user's roles with ``roles``."""
    roles_sync()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    user.__dict__.pop("roles", None)
    return user


def team_manager_chain(team: Team) -> list[User]:
    """Managers from the team upwards: team manager, head of service, director.

    Walks the parent links (a handful of rows); a missing manager at a level is skipped.
    """
    chain: list[User] = []
    node: Team | None = team
    while node is not None:
        if node.manager_id is not None and node.manager is not None:
            chain.append(node.manager)
        node = node.parent
    return chain
