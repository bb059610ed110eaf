"""Navigation and route access read one table (``iro_service.core.policy``): every link a
role is shown opens for that role, and every page only some roles may open is linked for
exactly those roles (SECURITY.md access model)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve

from iro_service.core.context_processors import navigation
from iro_service.core.policy import Action, may
from iro_service.core.route_policy import ROUTES
from people.roles import Role
from reporting.views import dashboards
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def links_for(user) -> dict[str, str]:
    """The user's navigation as {route name: URL}, without the home page."""
    request = RequestFactory().get("/")
    request.user = user
    items = {resolve(item["url"]).view_name: item["url"] for item in navigation(request)}
    items.pop("home")
    return items


def every_role_may(action: Action) -> bool:
    return all(may([role], action) for role in Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_every_link_a_role_is_shown_opens_for_it(role):
    user = make_user(f"nav-{role.name.lower()}", role)
    client = Client()
    client.force_login(user)
    for name, url in links_for(user).items():
        assert may([role], ROUTES[name].action), (role, name)
        assert client.get(url, follow=True).status_code == 200, (role, name)


def test_each_page_for_some_roles_is_linked_for_exactly_those_roles():
    users = {role: make_user(f"nav-{role.name.lower()}", role) for role in Role}
    shown = {role: links_for(user) for role, user in users.items()}
    linked = {name for links in shown.values() for name in links}
    role_specific = {name for name in linked if not every_role_may(ROUTES[name].action)}
    assert role_specific >= {
        "audits:due",
        "audits:templates",
        "reporting:annual",
        "reporting:returns",
        "timescales:rules",
        "children:out-of-relationship",
        "reminders:health",
    }
    for name in role_specific:
        for role in Role:
            assert (name in shown[role]) == may([role], ROUTES[name].action), (name, role)


def test_each_roles_home_dashboard_is_one_the_policy_lets_it_open():
    homes = {
        Action.DASHBOARD_SERVICE: dashboards.HOME_SERVICE,
        Action.DASHBOARD_IRO: dashboards.HOME_IRO,
        Action.DASHBOARD_SUPPORT: dashboards.HOME_SUPPORT,
    }
    for action, roles in homes.items():
        assert all(may([role], action) for role in roles), action
