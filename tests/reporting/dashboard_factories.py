"""Set-ups for the dashboard tests, made through the services (so each state is one the
application allows). "Today" is Wednesday 20 May 2026 (``TODAY``); the tests travel there."""

from datetime import date

from children import services as child_services
from children.models import Child
from children.rules import EpisodeValues
from people.models import User
from reviews import services as review_services
from reviews.models import Review
from tests.factories import ChildFactory

TODAY = date(2026, 5, 20)


def child_of(people: dict[str, User], org: dict, iro: str | None = "alice", **fields) -> Child:
    return ChildFactory(
        team=org["team"],
        iro=people[iro] if iro else None,
        social_worker=people["sarah"],
        **fields,
    )


def in_care(
    child: Child,
    people: dict[str, User],
    start: date,
    *,
    ls: str = "C2",
    home_post: str = "",
    pl_post: str = "",
) -> Review | None:
    """The child looked after from ``start``, with its first review (CLA-1) due."""
    child_services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=start, rne="S", ls=ls, cin="N1", place="U4", place_provider="PR1"
        ),
        home_post=home_post,
        pl_post=pl_post,
    )
    return review_services.review_ensure_next(child, by=people["betty"])


def on_plan(child: Child, people: dict[str, User], start: date) -> None:
    child_services.cp_plan_start(
        child=child, start_date=start, categories=["NEG"], by=people["mandy"]
    )


def hold(review: Review, iro: User, held: date) -> Review:
    return review_services.review_record(
        review=review,
        values={"held_date": held, "participation_code": "PN1"},
        version=review.version,
        by=iro,
    )


def restricted_to(child: Child, *users: User) -> Child:
    child.restricted = True
    child.save(update_fields=["restricted"])
    child.allowed_users.add(*users)
    return child
