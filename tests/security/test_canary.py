"""The canary test (SECURITY.md T3): a restricted child whose names and address are unique
markers. Every page and API endpoint that can be fetched with GET, given the ids of every
record of that child, is fetched as each role not on its allow-list: 0 markers may appear.
"""

from datetime import date

import pytest
from django.apps import apps
from django.db.models import ForeignKey
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from children import services
from children.models import Child
from children.rules import EpisodeValues
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
MARKERS = ("Zqxcanaryfirst", "Zqxcanarylast", "Zqxcanarystreet")
# One persona per way of seeing children: authority-wide (an IRO), the child's own team
# (its social worker), the team tree (the director), and none (performance).
OUTSIDERS = ["bob", "sarah", "dora", "percy"]
SKIPPED = {"logout", "admin"}  # sign-out ends the session; the admin holds no case records


def url_patterns(patterns=None, prefix="", namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            name = pattern.namespace or namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), name)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def records_of(child: Child) -> tuple[set[int], set[int]]:
    """Ids of every row that belongs to the child: those pointing at it (with the child's
    own id), and those pointing at one of them."""
    direct: dict[type, set[int]] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model is Child:
                rows = model._default_manager.filter(**{field.name: child})
                direct.setdefault(model, set()).update(rows.values_list("pk", flat=True))
    nested: set[int] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model in direct:
                parents = direct[field.related_model]
                rows = model._default_manager.filter(**{f"{field.name}__in": parents})
                nested.update(rows.values_list("pk", flat=True))
    return {child.pk}.union(*direct.values()), nested


def urls_for(direct: set[int], nested: set[int]):
    """Every GET-able URL, its integer arguments filled with the child's record ids (a
    second argument with the ids of rows under them)."""
    for name, pattern in url_patterns():
        if name.split(":")[0] in SKIPPED or "format" in pattern.pattern.regex.groupindex:
            continue
        arguments = list(pattern.pattern.regex.groupindex)
        if not arguments:
            yield reverse(name)
        elif len(arguments) == 1:
            for record in sorted(direct | nested):
                yield reverse(name, kwargs={arguments[0]: record})
        elif len(arguments) == 2:
            for first in sorted(direct):
                for second in sorted(nested):
                    yield reverse(name, kwargs={arguments[0]: first, arguments[1]: second})
        # Three ids name an audit template's question: no child's record is under it.


@pytest.fixture
def canary(org, people) -> Child:
    child = ChildFactory(
        first_name=MARKERS[0],
        last_name=MARKERS[1],
        address=f"1 {MARKERS[2]}, Town",
        team=org["team"],
        restricted=True,
    )
    child.allowed_users.add(people["alice"])
    betty = people["betty"]
    services.allocation_start(
        child=child,
        kind="iro",
        user=people["alice"],
        start_date=date(2026, 5, 1),
        by=people["mandy"],
    )
    services.episode_add(
        child=child,
        by=betty,
        episode=EpisodeValues(
            decom=date(2026, 5, 1), rne="S", ls="C1", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    services.s47_record(
        child=child,
        start_date=date(2026, 6, 1),
        strategy_discussion_date=date(2026, 6, 1),
        by=betty,
    )
    services.cp_plan_start(child=child, start_date=date(2026, 6, 20), categories=["NEG"], by=betty)
    services.visit_record(child=child, kind="care", visit_date=date(2026, 6, 5), by=betty)
    return child


def test_no_page_or_api_shows_a_restricted_child_to_anyone_off_its_allow_list(canary, people):
    urls = list(urls_for(*records_of(canary)))
    found = []
    for persona in OUTSIDERS:
        client = Client()
        client.force_login(people[persona])
        for url in urls:
            body = client.get(url).content.decode(errors="replace")
            found += [(persona, url, marker) for marker in MARKERS if marker in body]
    assert found == []
    # The check can fail: the allow-listed IRO sees the markers on the child's page.
    client = Client()
    client.force_login(people["alice"])
    assert MARKERS[0] in client.get(reverse("children:detail", args=[canary.pk])).text
