"""Conference set-ups made through the services, so tests start from states the
application allows."""

from datetime import date, datetime, time

from django.utils import timezone

from children import services as child_services
from children.models import Child, S47Enquiry
from conferences import services
from conferences.models import Conference, Room
from people.models import User
from tests.factories import ChildFactory

# The default chair is mandy (IRO service manager, a chair role): children.services
# cp_plan_start refuses IROs for now (children.policies.can_edit_child), see
# test_an_iro_chair_can_start_a_plan.
# Monday 2 March 2026: no bank holiday within the following six weeks before Easter.
STRATEGY_DISCUSSION = date(2026, 3, 2)
ICPC_DUE = date(2026, 3, 23)  # CP-1: 15 WD after the strategy discussion
PRE_BIRTH_ICPC = date(2026, 3, 18)  # Wednesday


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A London time on ``day``."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def room(name: str = "Room 1", capacity: int = 12) -> Room:
    return Room.objects.create(name=name, capacity=capacity)


def enquiry(child: Child, by: User, day: date = STRATEGY_DISCUSSION) -> S47Enquiry:
    return child_services.s47_record(
        child=child, start_date=day, strategy_discussion_date=day, by=by
    )


def requested_icpc(child: Child, people: dict[str, User]) -> Conference:
    return services.conference_request_icpc(
        enquiry=enquiry(child, people["sarah"]), by=people["sarah"]
    )


def booked(
    conference: Conference,
    people: dict[str, User],
    *,
    day: date,
    chair: str = "mandy",
    where: Room | None = None,
    hour: int = 10,
    late_reason: str = "",
) -> Conference:
    return services.conference_schedule(
        conference=conference,
        chair=people[chair],
        start=at(day, hour),
        end=at(day, hour + 2),
        room=where,
        online_link="" if where else "https://meet.example.org/cpc",
        late_reason=late_reason,
        by=people["betty"],
    )


def attend(conference: Conference, people: dict[str, User], agencies: list[str]) -> dict[int, str]:
    """Invite one person per agency and return the attendance map marking them present."""
    attendance = {}
    for agency in agencies:
        invitation = services.invitation_add(
            conference=conference, name=f"Person from {agency}", agency=agency, by=people["betty"]
        )
        attendance[invitation.pk] = "attended"
    return attendance


QUORATE = ["social_care", "police", "health"]


def held_with_plan(
    child: Child,
    people: dict[str, User],
    *,
    day: date = date(2026, 3, 18),
    categories: list[str] | None = None,
    hour: int = 10,
    chair: str = "mandy",
) -> Conference:
    conference = booked(requested_icpc(child, people), people, day=day, hour=hour, chair=chair)
    return held_deciding_plan(conference, people, categories=categories or ["NEG"])


def held_deciding_plan(
    conference: Conference, people: dict[str, User], *, categories: list[str]
) -> Conference:
    """A booked initial conference recorded as quorate, deciding on a plan."""
    return services.conference_record_outcome(
        conference=conference,
        by=conference.chair,
        attendance=attend(conference, people, QUORATE),
        child_participation="too_young",
        decision="plan",
        categories=categories,
        outline_plan="Outline plan",
    )


def unborn(org: dict, people: dict[str, User], expected: date) -> Child:
    """A child known before birth (an expected date of birth only), allocated to alice."""
    return ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=None,
        expected_date_of_birth=expected,
    )


def pre_birth_plan(child: Child, people: dict[str, User]) -> Conference:
    """A pre-birth ICPC requested, booked on 18 March 2026 and held with a plan (CP-8)."""
    requested = services.conference_request_icpc(
        enquiry=enquiry(child, people["sarah"]), by=people["sarah"], pre_birth=True
    )
    conference = booked(requested, people, day=PRE_BIRTH_ICPC)
    return held_deciding_plan(conference, people, categories=["NEG"])
