"""``field__any=values`` (``iro_service.core.lookups``) selects exactly what ``__in`` selects,
for ids, dates and text, through a relation, with NULLs, empty lists, ``exclude`` and a
subquery; on PostgreSQL as one array parameter, however many values."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child
from people.models import User
from tests.conftest import requires_postgres
from tests.factories import ChildFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def children() -> list[Child]:
    team = TeamFactory()
    worker = UserFactory(team=team)
    born = [date(2015, 6, 1), date(2016, 1, 2), date(2017, 3, 4)]
    return [
        ChildFactory(date_of_birth=day, team=team, social_worker=worker if i % 2 else None)
        for i, day in enumerate(born * 2)
    ]


def same(filtering: str, values: object) -> None:
    """``__any`` and ``__in`` agree, in ``filter`` and in ``exclude``."""
    everyone = Child.objects.order_by("pk").values_list("pk", flat=True)
    assert list(everyone.filter(**{f"{filtering}__any": values})) == list(
        everyone.filter(**{f"{filtering}__in": values})
    )
    assert list(everyone.exclude(**{f"{filtering}__any": values})) == list(
        everyone.exclude(**{f"{filtering}__in": values})
    )


def test_any_selects_what_in_selects(children: list[Child]) -> None:
    some = [children[0].pk, children[3].pk, children[4].pk]
    same("pk", some)
    same("pk", {*some, 10**9})
    same("pk", [*some, None])
    same("date_of_birth", [date(2016, 1, 2), date(2020, 1, 1)])
    same("la_child_id", [children[1].la_child_id, "nobody"])
    same("social_worker", [children[1].social_worker_id])
    same("social_worker__team_id", [children[1].team_id])
    assert not Child.objects.filter(pk__any=[]).exists()
    assert not Child.objects.filter(pk__any=[None]).exists()
    users = User.objects.filter(pk=children[1].social_worker_id).values("pk")
    same("social_worker", users)


@requires_postgres
def test_any_sends_one_array_parameter_however_many_values(children: list[Child]) -> None:
    many = [child.pk for child in children] + list(range(10**8, 10**8 + 5000))
    with CaptureQueriesContext(connection) as queries:
        found = list(Child.objects.filter(pk__any=many).values_list("pk", flat=True))
    assert sorted(found) == sorted(child.pk for child in children)
    (query,) = queries.captured_queries
    assert "= ANY(" in query["sql"] and " IN (" not in query["sql"]
