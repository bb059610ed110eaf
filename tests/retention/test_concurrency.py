"""Two information governance officers approve the same destruction at the same moment:
one destruction, one refusal. A barrier releases both onto the request's row lock; the
second waits for the first's commit, finds the request gone, and is refused."""

import threading

import pytest
from django.db import connection

from children.models import Child
from iro_service.core.errors import InvalidTransition
from people.roles import Role
from retention import services
from retention.models import DestructionLogEntry
from tests.conftest import make_user, requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvals_at_once_destroy_once(ig, old_child):
    iris = make_user("iris", Role.IG_OFFICER)
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    barrier = threading.Barrier(2, timeout=20)
    results: list[object] = [None, None]
    original = services._lock_waiting

    def synchronised(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    def approve(n: int, by) -> None:
        try:
            results[n] = services.destruction_approve(request=request, by=by)
        except InvalidTransition as error:
            results[n] = error
        finally:
            connection.close()

    services._lock_waiting = synchronised
    try:
        threads = [
            threading.Thread(target=approve, args=(n, by))
            for n, by in enumerate([ig["igor"], iris])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        services._lock_waiting = original

    refused = [r for r in results if isinstance(r, InvalidTransition)]
    done = [r for r in results if isinstance(r, DestructionLogEntry)]
    assert (len(refused), len(done)) == (1, 1), results
    assert "already been decided" in refused[0].message
    assert DestructionLogEntry.objects.count() == 1
    assert not Child.objects.filter(pk=old_child.pk).exists()
