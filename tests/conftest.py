"""Shared fixtures: the personas of ARCHITECTURE.md and the service checks for CI.

Personas: alice (the child's allocated IRO), bob (another IRO), sarah (the child's social
worker, in the child's team), charlie (a social worker of another team: gets 404s), mandy
(IRO service manager), betty (business support), terry (team manager of the child's team),
helen (head of the service above it), dora (the director), percy (performance).
"""

import importlib
import os
import socket
from urllib.parse import urlparse

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache

from people.models import Team, User
from people.roles import Role
from people.services import user_set_roles
from tests.factories import ChildFactory, TeamFactory, UserFactory


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    """Each test starts with no page parts kept from another (iro_service.core.kept)."""
    cache.clear()


def pytest_configure(config: pytest.Config) -> None:
    """Fast password hashing for tests; in CI every service must be there: a missing one
    fails the run, never skips tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign personas in with force_login; the MFA tests switch enforcement back on.
    settings.MFA_REQUIRED = False
    if os.environ.get("CI") != "true":
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit("CI=true but DATABASE_URL does not point at PostgreSQL.", returncode=3)
    if not os.environ.get("REDIS_URL") or not _reachable(os.environ["REDIS_URL"], 6379):
        pytest.exit("CI=true but REDIS_URL is missing or Redis is unreachable.", returncode=3)


ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES and os.environ.get("CI") != "true",
    reason="needs PostgreSQL (set DATABASE_URL); CI always runs it",
)


def make_user(name: str, role: Role | None, team: Team | None = None) -> User:
    user = UserFactory(email=f"{name}@staff.example.org", first_name=name.title(), team=team)
    if role is not None:
        user_set_roles(user=user, roles=[role])
    return user


@pytest.fixture
def org(db: None) -> dict[str, Team]:
    root = TeamFactory(name="Directorate", level=Team.Level.DIRECTORATE)
    service = TeamFactory(name="Children in Care Service", level=Team.Level.SERVICE, parent=root)
    other_service = TeamFactory(name="Safeguarding Service", level=Team.Level.SERVICE, parent=root)
    return {
        "root": root,
        "service": service,
        "team": TeamFactory(name="CiC Team A", parent=service),
        "other_team": TeamFactory(name="Assessment Team", parent=other_service),
        "iro_team": TeamFactory(name="IRO Team", parent=root),
    }


@pytest.fixture
def people(org: dict[str, Team]) -> dict[str, User]:
    users = {
        "alice": make_user("alice", Role.IRO, org["iro_team"]),
        "bob": make_user("bob", Role.IRO, org["iro_team"]),
        "sarah": make_user("sarah", Role.SOCIAL_WORKER, org["team"]),
        "charlie": make_user("charlie", Role.SOCIAL_WORKER, org["other_team"]),
        "mandy": make_user("mandy", Role.IRO_MANAGER, org["iro_team"]),
        "betty": make_user("betty", Role.BUSINESS_SUPPORT, org["iro_team"]),
        "terry": make_user("terry", Role.TEAM_MANAGER, org["team"]),
        "helen": make_user("helen", Role.HEAD_OF_SERVICE, org["service"]),
        "olga": make_user("olga", Role.HEAD_OF_SERVICE, org["other_team"].parent),
        "dora": make_user("dora", Role.DIRECTOR, org["root"]),
        "percy": make_user("percy", Role.PERFORMANCE),
    }
    for key, manager in [("team", "terry"), ("service", "helen"), ("root", "dora")]:
        org[key].manager = users[manager]
        org[key].save(update_fields=["manager"])
    other_service = org["other_team"].parent
    other_service.manager = users["olga"]
    other_service.save(update_fields=["manager"])
    return users


@pytest.fixture
def child(people: dict[str, User], org: dict[str, Team]):
    """A child of team A, allocated to alice (IRO) and sarah (social worker)."""
    return ChildFactory(team=org["team"], iro=people["alice"], social_worker=people["sarah"])


@pytest.fixture
def default_reasons_and_stages() -> None:
    """The challenge reasons and stages a data migration seeds. A transactional test (the
    browser journeys, the concurrency tests) flushes the database and loses them, which
    would leave any later test without them; put them back the way the migration does."""
    seed = importlib.import_module("challenges.migrations.0002_seed_reasons_and_stages").seed
    seed(django_apps, None)
