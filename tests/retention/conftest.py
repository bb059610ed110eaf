"""Retention personas: ivy and igor (information governance officers), sam (system
administrator); and children whose records are past retention."""

from datetime import date

import pytest

from children import services as child_services
from children.models import Child
from children.rules import EpisodeValues
from people.models import User
from people.roles import Role
from tests.conftest import make_user
from tests.factories import ChildFactory

# The canary markers: found nowhere in the database once the child is destroyed.
MARKERS = ("Qzxretainfirst", "Qzxretainlast", "Qzxretainstreet", "QZXID77")


@pytest.fixture
def ig(people: dict[str, User]) -> dict[str, User]:
    return {
        "ivy": make_user("ivy", Role.IG_OFFICER),
        "igor": make_user("igor", Role.IG_OFFICER),
        "sam": make_user("sam", Role.SYSTEM_ADMIN),
    }


def care_episode(child: Child, by: User, start: date, end: date, rec: str) -> None:
    episode = EpisodeValues(
        decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
    )
    child_services.episode_add(child=child, episode=episode, by=by)
    child_services.episode_cease(child=child, dec=end, rec=rec, by=by)


@pytest.fixture
def old_child(people: dict[str, User], org) -> Child:
    """Born 1940, in care 1950-1955: past its 75th birthday (2015), so past retention."""
    child = ChildFactory(
        la_child_id=MARKERS[3],
        first_name=MARKERS[0],
        last_name=MARKERS[1],
        address=f"2 {MARKERS[2]}",
        date_of_birth=date(1940, 3, 1),
        team=org["team"],
    )
    care_episode(child, people["betty"], date(1950, 1, 1), date(1955, 1, 1), "E4A")
    return child
