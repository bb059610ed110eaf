"""The conferences' reminder rules and calendar meetings, registered with the reminders app in
``ConferencesConfig.ready``. Wording and references carry a conference or plan reference
only, never a child's name (SECURITY.md T4).

- CONF-BOOK: a review or transfer-in conference awaiting a date as its due date nears and
  passes (business support). An initial conference awaiting a date is CP-1, reminded from
  the s47 enquiry by the reminders app itself, so it is left out here.
- CONF-OVERDUE: a booked conference past its original due date and not yet recorded (the
  chair): every type, initial ones included.
- CP-OUTCOME / CP-MINUTES: the outcome not yet sent and the minutes not yet completed (the
  chair and business support).
- CP-10: a report asked of an agency, due before a booked conference, not yet received
  (business support, who chase it, and the chair).
- CP-CORE: the next core group of an open plan (CP-4: first within 10 WD of the ICPC;
  CP-5: later ones at the local interval), due date derived by the clock engine from the
  plan start and the latest core group (the child's social worker and the plan's chair).
- CP-14: a plan reaching 15 months, 18 months and 2 years (the plan's chair and the IRO
  service managers for the chair's team).

Business support here are those for the team of the child's IRO or of the chair (in it, or
managing it or a team above it), or every business support officer where that team has none
(``ReminderRule.team_roles``).
"""

from collections.abc import Collection, Iterator, Mapping
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse

from children.models import Child, ChildProtectionPlan
from conferences.models import AgencyReport, Conference, CoreGroup
from people.models import User
from people.roles import Role
from reminders.calendars import Meeting, busy, chaired_by_on, register_meeting_source
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register
from timescales.calendar import WorkingCalendar
from timescales.sequences import next_core_group, plan_milestones
from timescales.services import rule_books

OVERDUE = Group.OVERDUE_MEETINGS
MEETING_LENGTH = timedelta(hours=2)
# CP-14 milestone rule -> the threshold label kept on the reminder row.
MILESTONE_LABELS = {"CP-14-15M": "15m", "CP-14-18M": "18m", "CP-14-2Y": "2y"}
MILESTONE_WORDS = {"15m": "15 months", "18m": "18 months", "2y": "2 years"}


def _latest_chair() -> Subquery:
    """The chair of the plan's latest booked or held conference (a column of the plan's
    row, so the rules below name their recipients with ``recipient_fields``)."""
    return Subquery(
        Conference.objects.filter(cp_plan=OuterRef("pk"), chair__isnull=False)
        .order_by("-scheduled_start", "-pk")
        .values("chair_id")[:1]
    )


# Subjects whose due date is derived by the clock engine ---------------------------------------


def core_groups_due(today: date, calendar: WorkingCalendar) -> Iterator[dict]:
    """CP-4/CP-5: the next core group of every open plan, from one query (each open plan
    with its latest core group, in id order, read through a server-side cursor); the clock
    engine turns that into the due date."""
    books = rule_books()
    plans = (
        ChildProtectionPlan.objects.filter(end_date__isnull=True)
        .annotate(
            latest=Subquery(
                CoreGroup.objects.filter(cp_plan=OuterRef("pk"))
                .order_by("-held_on")
                .values("held_on")[:1]
            ),
            chair_id=_latest_chair(),
        )
        .order_by("pk")
        .values_list(
            "pk", "child_id", "start_date", "latest", "child__social_worker_id", "chair_id"
        )
    )
    for pk, child_id, start, latest, social_worker_id, chair_id in plans.iterator():
        deadline = next_core_group(
            icpc=start,
            core_groups_held=[latest] if latest else [],
            rules=books(start),
            calendar=calendar,
        )
        yield {
            "id": pk,
            "child_id": child_id,
            "due": deadline.due,
            "social_worker_id": social_worker_id,
            "chair_id": chair_id,
        }


def plans_reaching_milestones(today: date, calendar: WorkingCalendar) -> Iterator[dict]:
    """CP-14: each open plan that has reached 15 months, 18 months or 2 years, with the
    latest milestone it has reached (one query over open plans, started at least a year
    ago: the earliest milestone is months away from any younger plan; in id order, read
    through a server-side cursor)."""
    books = rule_books()
    plans = (
        ChildProtectionPlan.objects.filter(
            end_date__isnull=True, start_date__lte=today - timedelta(days=365)
        )
        .annotate(chair_id=_latest_chair())
        .order_by("pk")
        .values_list("pk", "child_id", "start_date", "chair_id")
    )
    for pk, child_id, start, chair_id in plans.iterator():
        milestones = plan_milestones(plan_start=start, rules=books(start), calendar=calendar)
        reached = [milestone for milestone in milestones if milestone.due <= today]
        if reached:
            latest = max(reached, key=lambda milestone: milestone.due)
            label = MILESTONE_LABELS[latest.rule_id]
            yield {
                "id": pk,
                "child_id": child_id,
                "due": latest.due,
                "threshold": label,
                "duration": MILESTONE_WORDS[label],
                "chair_id": chair_id,
            }


# Rules ----------------------------------------------------------------------------------------


def _conference_link(row: Mapping[str, object]) -> str:
    return reverse("conferences:detail", args=[row["id"]])


def _reference(row: Mapping[str, object]) -> str:
    return f"CPC-{row['id']:06d}"


def _plan_reference(row: Mapping[str, object]) -> str:
    return f"CPP-{row['id']:06d}"


def _plan_link(row: Mapping[str, object]) -> str:
    return reverse("children:detail", args=[row["child_id"]])


RULES = (
    ReminderRule(
        code="CONF-BOOK",
        title="Conference not booked",
        group=Group.DEADLINES,
        open_items=lambda: Conference.objects.filter(status=Conference.Status.REQUESTED).exclude(
            rule_id="CP-1"
        ),
        due_field="original_due_date",
        thresholds=(
            Threshold.before(15),
            Threshold.before(5),
            Threshold.on_the_day(),
            Threshold.after(1, group=OVERDUE),
            Threshold.weekly_while_overdue(group=OVERDUE),
        ),
        team_of="child__iro_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="Conference {reference} is not booked and {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_conference_link,
    ),
    ReminderRule(
        code="CONF-OVERDUE",
        title="Conference overdue",
        group=OVERDUE,
        open_items=lambda: Conference.objects.filter(status=Conference.Status.SCHEDULED),
        due_field="original_due_date",
        thresholds=(Threshold.after(1), Threshold.weekly_while_overdue()),
        recipient_fields=("chair_id",),
        wording="Conference {reference} {when} ({due:%d %B %Y}) and is not recorded as held",
        reference=_reference,
        link=_conference_link,
    ),
    ReminderRule(
        code="CP-OUTCOME",
        title="Conference outcome not sent",
        group=Group.DEADLINES,
        open_items=lambda: Conference.objects.filter(
            status=Conference.Status.HELD, outcome_sent_on__isnull=True
        ),
        due_field="outcome_due",
        thresholds=(Threshold.on_the_day(), Threshold.after(1), Threshold.weekly_while_overdue()),
        recipient_fields=("chair_id",),
        team_of="chair_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="Outcome of conference {reference}: sending to attendees {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_conference_link,
    ),
    ReminderRule(
        code="CP-MINUTES",
        title="Conference minutes not completed",
        group=Group.DEADLINES,
        open_items=lambda: Conference.objects.filter(
            status=Conference.Status.HELD, minutes_completed_on__isnull=True
        ),
        due_field="minutes_due",
        thresholds=(
            Threshold.before(5),
            Threshold.on_the_day(),
            Threshold.after(1),
            Threshold.weekly_while_overdue(),
        ),
        recipient_fields=("chair_id",),
        team_of="chair_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="Minutes of conference {reference} {when} ({due:%d %B %Y})",
        reference=_reference,
        link=_conference_link,
    ),
    ReminderRule(
        code="CP-10",
        title="Agency report for a conference not received",
        group=Group.DEADLINES,
        open_items=lambda: AgencyReport.objects.filter(
            received_on__isnull=True, conference__status=Conference.Status.SCHEDULED
        ),
        due_field="due_date",
        child_field="conference__child_id",
        values=("conference_id",),
        thresholds=(Threshold.before(2), Threshold.on_the_day(), Threshold.after(1)),
        recipient_fields=("conference__chair_id",),
        team_of="conference__chair_id",
        team_roles=(Role.BUSINESS_SUPPORT,),
        wording="A report for conference {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: f"CPC-{row['conference_id']:06d}",
        link=lambda row: reverse("conferences:detail", args=[row["conference_id"]]),
    ),
    ReminderRule(
        code="CP-CORE",
        title="Core group due",
        group=Group.DEADLINES,
        open_items=ChildProtectionPlan.objects.none,
        due_field="",
        thresholds=(
            Threshold.before(3),
            Threshold.on_the_day(),
            Threshold.after(1),
            Threshold.weekly_while_overdue(),
        ),
        recipient_fields=("social_worker_id", "chair_id"),
        wording="Core group of plan {reference} {when} ({due:%d %B %Y})",
        reference=_plan_reference,
        link=_plan_link,
        evaluate=core_groups_due,
        subject_model=ChildProtectionPlan,
    ),
    ReminderRule(
        code="CP-14",
        title="Child protection plan open a long time",
        group=Group.MANAGEMENT,
        open_items=ChildProtectionPlan.objects.none,
        due_field="",
        thresholds=(),
        recipient_fields=("chair_id",),
        team_of="chair_id",
        team_roles=(Role.IRO_MANAGER,),
        wording="Plan {reference} reached {duration} open on {due:%d %B %Y}",
        reference=_plan_reference,
        link=_plan_link,
        evaluate=plans_reaching_milestones,
        subject_model=ChildProtectionPlan,
    ),
)


# Calendars ------------------------------------------------------------------------------------


def _meeting(conference: Conference) -> Meeting:
    assert conference.scheduled_start is not None
    return Meeting(
        uid=f"conference-{conference.pk}",
        reference=f"Conference {conference.reference}",
        starts=conference.scheduled_start,
        ends=conference.scheduled_end or conference.scheduled_start + MEETING_LENGTH,
        place=conference.room.name if conference.room else "Online",
        url=reverse("conferences:detail", args=[conference.pk]),
    )


def _booked() -> QuerySet[Conference]:
    """Booked conferences, read as far as a calendar shows them (no minutes or plans)."""
    return (
        Conference.objects.filter(status=Conference.Status.SCHEDULED, scheduled_start__isnull=False)
        .select_related("room")
        .only("chair", "scheduled_start", "scheduled_end", "room__name")
    )


def conference_meetings(user: User) -> Iterator[Meeting]:
    """The booked conferences the user chairs, for their calendar feed (one query)."""
    for conference in _booked().filter(chair=user):
        yield _meeting(conference)


def conferences_chaired_on(
    wanted: Collection[tuple[int, date]], visible: QuerySet[Child]
) -> Iterator[tuple[int, Meeting]]:
    """The booked conferences each person chairs on their London days (one query), for a
    review booking's clash check, the schedule queue and the IRO's availability; a
    conference about a child the viewer may not see is shown as busy only."""
    # ``__date`` is the date in the current (London) time zone.
    booked = (
        _booked()
        .filter(chaired_by_on(wanted, "chair_id", "scheduled_start__date"))
        .annotate(seen=Exists(visible.filter(pk=OuterRef("child_id"))))
    )
    for conference in booked:
        assert conference.chair_id is not None
        meeting = _meeting(conference)
        yield conference.chair_id, meeting if conference.seen else busy(meeting)


def register_all() -> None:
    for rule in RULES:
        register(rule)
    register_meeting_source("conferences", conference_meetings, chaired_on=conferences_chaired_on)
