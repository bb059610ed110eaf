"""The access-matrix test (SECURITY.md "Checks"): every URL pattern and API route, requested
as every role in every relationship to a child (allocated, same team, other team,
allow-listed, restricted, conflict declared), compared with the policy table
(``iro_service.core.policy.decide`` through ``iro_service.core.route_policy.ROUTES``).

Passes when 0 combinations differ. A route with no entry in ``ROUTES`` fails it.
Statuses: allowed = anything below 400, or 400/409 (the request reached the view's own
checks: an empty form, a state that does not allow the step); forbidden = 403; hidden =
404; denied = 403 or 404. A 5xx is always a difference.
"""

import logging
import time
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from children.selectors import relationship_to
from iro_service.core.policy import Outcome, Relationship, decide, sees
from iro_service.core.route_policy import ROUTES, Route
from people.roles import Role
from tests.security.access_world import World, build_world, child_relationship_pairs, row_for

EXEMPT_NAMESPACES = {"admin": "the Django admin: system administrators only, tests/core"}
ALLOWED_ERRORS = {400, 409}
REACHED = "reached the view (not hidden)"
ANSWERED = "answered (the record is not in the state the action needs)"
ACCEPTED = {
    REACHED: lambda status: status != 404,
    ANSWERED: lambda status: status < 500,
    Outcome.ALLOW: lambda status: status < 400 or status in ALLOWED_ERRORS,
    Outcome.FORBID: lambda status: status == 403,
    Outcome.HIDE: lambda status: status == 404,
    Outcome.DENY: lambda status: status in (403, 404),
}


def url_patterns(patterns=None, namespace=None):
    """(name, pattern) for every route; a route without a name is named by its regex."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern


def routes() -> dict[str, URLPattern]:
    """Every route the matrix covers, one pattern per name (format suffixes are the same
    view as the route without them)."""
    found = {}
    for name, pattern in url_patterns():
        if name.split(":")[0] in EXEMPT_NAMESPACES:
            continue
        if "format" in pattern.pattern.regex.groupindex:
            continue
        found.setdefault(name, pattern)
    return found


def test_every_route_has_a_policy_entry():
    missing = sorted(set(routes()) - set(ROUTES))
    assert missing == [], f"Add these to iro_service/core/route_policy.py ROUTES: {missing}"


def test_every_policy_entry_is_a_route():
    stale = sorted(set(ROUTES) - set(routes()))
    assert stale == [], f"Entries in ROUTES with no route: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    # Thousands of expected 403s and 404s: log only server errors.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        pairs = child_relationship_pairs(built, relationship_to)
        yield built, pairs
        transaction.set_rollback(True)
    request_log.setLevel(level)


def url_for(name: str, route: Route, child) -> str:
    owner = child if route.child_records else None
    kwargs = {
        kwarg: row_for(label, owner).pk if "." in label else label
        for kwarg, label in route.records.items()
    }
    query = "&".join(f"{key}={row_for(label, owner).pk}" for key, label in route.query.items())
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{query}" if query else url


def fetch(client: Client, url: str, route: Route) -> int:
    """One request, rolled back afterwards so that no request changes what the next sees."""
    savepoint = transaction.savepoint()
    try:
        if route.method == "get":
            return client.get(url).status_code
        send = getattr(client, route.method)
        if url.startswith("/api/"):
            return send(url, {}, content_type="application/json").status_code
        return send(url, {}).status_code
    finally:
        transaction.savepoint_rollback(savepoint)


def expected(role: Role, relationship: Relationship | None, route: Route) -> str:
    if relationship is None:
        # A page about no child: the role decides (any relationship the action allows).
        outcomes = {decide(role, each, route.action) for each in Relationship}
        if Outcome.ALLOW in outcomes:
            return ANSWERED if route.state else Outcome.ALLOW
        return REACHED if route.validates_first else Outcome.DENY
    outcome = decide(role, relationship, route.action)
    if route.state and outcome is Outcome.ALLOW:
        return ANSWERED  # allowed, but the record is not in the state the action needs
    refused_before_policy = outcome in (Outcome.FORBID, Outcome.DENY)
    if route.validates_first and refused_before_policy and sees(role, relationship):
        return REACHED  # the empty body is refused before the policy is asked
    return outcome


TESTED: Counter = Counter()
TIMES: Counter = Counter()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_every_route_answers_every_relationship_as_the_policy_says(world, role):
    built, pairs = world
    built: World
    client = Client(raise_request_exception=False)
    client.force_login(built.users[role])
    differences = []
    for name, route in sorted((n, ROUTES[n]) for n in routes() if n in ROUTES):
        if route.action is None:
            continue
        about_a_child = route.child_records and (route.records or route.query)
        cases = list(pairs[role].items()) if about_a_child else [(None, None)]
        for relationship, child in cases:
            url = url_for(name, route, child)
            started = time.perf_counter()
            status = fetch(client, url, route)
            TIMES[name] += time.perf_counter() - started
            outcome = expected(role, relationship, route)
            TESTED[role] += 1
            if status >= 500 or not ACCEPTED[outcome](status):
                differences.append((name, str(relationship), str(outcome), status))
    assert differences == [], "\n".join(
        f"{role.value} / {relationship}: {name} expected {outcome}, got {status}"
        for name, relationship, outcome, status in differences
    )


def test_report_the_number_of_combinations(capsys):
    """Printed for the closing note (run with -s); every role was tested."""
    with capsys.disabled():
        print(f"\naccess matrix: {sum(TESTED.values())} combinations over {len(TESTED)} roles")
        print(TIMES.most_common(25))
