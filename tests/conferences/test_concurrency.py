"""Two bookings of one chair, or one room, at the same moment: exactly one wins.

Each thread books a different conference in its own transaction on PostgreSQL. A barrier
holds both until each has its conference row locked, so they reach the chair/room lock
together; the loser waits for the winner's commit, then sees its booking and is refused."""

import threading
from datetime import date

import pytest
from django.db import connection

from conferences import services
from conferences.models import Conference
from conferences.services import booking
from iro_service.core.errors import RuleViolation
from tests.conferences.factories import at, requested_icpc, room
from tests.conftest import requires_postgres
from tests.factories import ChildFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _race(people, conferences, chairs, rooms) -> list[object]:
    barrier = threading.Barrier(2, timeout=20)
    results: list[object] = [None, None]
    original = booking._lock_and_check_clashes

    def synchronised(**kwargs):
        # Both transactions hold their own conference row before either takes the
        # chair or room lock.
        barrier.wait()
        return original(**kwargs)

    def book(n: int) -> None:
        try:
            results[n] = services.conference_schedule(
                conference=conferences[n],
                chair=chairs[n],
                start=at(date(2026, 3, 18), 10),
                end=at(date(2026, 3, 18), 12),
                room=rooms[n],
                online_link="" if rooms[n] else "https://meet.example.org/x",
                by=people["betty"],
            )
        except RuleViolation as error:
            results[n] = error
        finally:
            connection.close()

    booking._lock_and_check_clashes = synchronised
    try:
        threads = [threading.Thread(target=book, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        booking._lock_and_check_clashes = original
    return results


def _two_requests(child, people, org) -> list[Conference]:
    return [requested_icpc(child, people), requested_icpc(ChildFactory(team=org["team"]), people)]


def test_two_concurrent_bookings_of_one_chair_exactly_one_wins(child, people, org):
    conferences = _two_requests(child, people, org)
    chair = people["alice"]
    results = _race(people, conferences, [chair, chair], [None, None])

    errors = [r for r in results if isinstance(r, RuleViolation)]
    assert len(errors) == 1, results
    assert "already booked" in errors[0].message
    assert Conference.objects.filter(status="scheduled", chair=chair).count() == 1


def test_two_concurrent_bookings_of_one_room_exactly_one_wins(child, people, org):
    conferences = _two_requests(child, people, org)
    shared = room()
    results = _race(people, conferences, [people["alice"], people["bob"]], [shared, shared])

    errors = [r for r in results if isinstance(r, RuleViolation)]
    assert len(errors) == 1, results
    assert "Room 1 is already booked" in errors[0].message
    assert Conference.objects.filter(status="scheduled", room=shared).count() == 1
