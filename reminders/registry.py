"""Where every app registers its reminder rules (issue 8; ARCHITECTURE.md "Background work").

Registering a rule takes one call in the app's ``AppConfig.ready``::

    def ready(self) -> None:
        from reminders.registry import Group, ReminderRule, Threshold, register

        register(
            ReminderRule(
                code="REV-BOOK",                      # unique, short, stable (the ledger key)
                title="Review not booked",
                group=Group.DEADLINES,                # the user's immediate/digest choice
                open_items=lambda: Review.objects.filter(status="due", held_on__isnull=True),
                due_field="due_date",                 # an indexed DateField on that model
                child_field="child_id",               # or "" when the subject is not a child's
                thresholds=(
                    Threshold.before(10),             # 10 working days before the due date
                    Threshold.on_the_day(),
                    Threshold.after(1, group=Group.OVERDUE_MEETINGS),
                    Threshold.weekly_while_overdue(group=Group.OVERDUE_MEETINGS),
                ),
                recipient_fields=("child__iro_id",),  # columns of the subject naming users
                team_of="child__iro_id",              # and/or people by role for a team
                team_roles=(Role.BUSINESS_SUPPORT,),
                # and/or recipients=(subject ids) -> {id: user ids}
                wording="Review {reference}: not booked, due {due:%d %B %Y}",
                reference=lambda row: f"REV-{row['id']}",
                link=lambda row: f"/reviews/{row['id']}/",
            )
        )

How a scan reads a rule (``reminders.services.rule_scan``): one query selects the open items
whose due date has reached the earliest threshold, the latest threshold each item has reached
becomes its reminder (so a missed scan catches up with the newest message, never a stale
one), each subject's recipients are the users its ``recipient_fields`` name (read in that
same query), the holders of ``team_roles`` for the team of the user ``team_of`` names, and
those ``recipients`` gives (called once per chunk of subject ids, for people found through
other records), and the rows are inserted with
``bulk_create(ignore_conflicts=True)`` against the unique key (rule, subject, due date,
threshold, recipient). Nobody gets a reminder about a child ``children_visible_to`` hides from
them.

Wording is a ``str.format`` template with ``{reference}``, ``{due}`` (a date), ``{days}``
(working days to or past the due date) and ``{title}``. It and ``reference`` must never
contain a child's name or case details: they go into emails (SECURITY.md).

``recipients`` must be set-based (a query or two for all its subjects, never one per subject);
a recipient held on the subject's row (its owner, the child's IRO) is named in
``recipient_fields`` instead, which costs no query (for a rule with ``evaluate``, keys its
rows carry). The ``row`` passed to ``reference``/``link`` is a dict of ``id``, the due
field and ``child_id``, plus whatever ``values`` and ``recipient_fields`` name.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from people.roles import Role
from reminders.models import IMMEDIATE_BY_DEFAULT, Group
from timescales.calendar import WorkingCalendar

__all__ = [
    "IMMEDIATE_BY_DEFAULT",
    "Group",
    "ReminderRule",
    "Threshold",
    "get",
    "register",
    "rules",
]

Row = Mapping[str, object]
Recipients = Callable[[list[int]], Mapping[int, Iterable[int]]]


@dataclass(frozen=True)
class Threshold:
    """When a reminder fires relative to the due date, in working days (WD, DOMAIN.md s.11).

    ``kind`` is ``before`` (N WD before), ``on`` (the due date), ``after`` (N WD after) or
    ``weekly`` (every 7 days while overdue; the label carries the week number). ``group``
    overrides the rule's group (an overdue statutory meeting is immediate by default).
    """

    kind: str
    days: int = 0
    group: str = ""

    @classmethod
    def before(cls, days: int, group: str = "") -> "Threshold":
        return cls("before", days, group)

    @classmethod
    def on_the_day(cls, group: str = "") -> "Threshold":
        return cls("on", 0, group)

    @classmethod
    def after(cls, days: int, group: str = "") -> "Threshold":
        return cls("after", days, group)

    @classmethod
    def weekly_while_overdue(cls, group: str = "") -> "Threshold":
        return cls("weekly", 7, group)

    @property
    def label(self) -> str:
        return {"before": f"-{self.days}wd", "on": "0", "after": f"+{self.days}wd"}.get(
            self.kind, "weekly"
        )

    def fires_on(self, due: date, calendar: WorkingCalendar) -> date:
        """The first day this threshold applies to an item due on ``due``."""
        if self.kind == "before":
            return calendar.subtract_working_days(due, self.days)
        if self.kind == "after":
            return calendar.add_working_days(due, self.days)
        if self.kind == "weekly":
            return date.fromordinal(due.toordinal() + 7)
        return due

    def horizon(self, today: date) -> date:
        """A due date beyond which this threshold cannot have fired by ``today``: generous
        (N WD never spans more than 2N + 14 calendar days, bank holidays included), because
        the scan decides each selected item exactly with ``fires_on``."""
        if self.kind == "before":
            return date.fromordinal(today.toordinal() + 2 * self.days + 14)
        return today


@dataclass(frozen=True)
class ReminderRule:
    """One reminder rule; see the module docstring for an example."""

    code: str
    title: str
    group: str
    open_items: Callable[[], QuerySet]
    due_field: str
    thresholds: tuple[Threshold, ...]
    wording: str
    reference: Callable[[Row], str]
    recipients: Recipients | None = None
    recipient_fields: tuple[str, ...] = ()
    # People found by role for the team of the user ``team_of`` names on the row (the
    # child's IRO, the chair; "id" when the subject is that user): the holders of
    # ``team_roles`` in that team or managing it or a team above it
    # (``people.selectors.role_holders_by_team``); every holder where there are none or
    # the row names nobody. ``team_of`` is read in the rule's one query, not a recipient.
    team_roles: tuple[Role, ...] = ()
    team_of: str = ""
    child_field: str = "child_id"
    link: Callable[[Row], str] | None = None
    values: tuple[str, ...] = ()
    # For rules whose subject is not a model row with a due date (caseloads, the calendar)
    # or whose due date is derived from stored dates by the clock engine (the next core
    # group): a function from (today, calendar) to rows of {"id", "due", "child_id", ...}.
    # Without ``thresholds`` each row carries its own "threshold"; with them, the scan keeps
    # the rows whose latest reached threshold is a reminder, as for a due-date column.
    evaluate: Callable[[date, WorkingCalendar], Iterable[dict]] | None = field(default=None)
    subject_model: type | None = None

    def __post_init__(self) -> None:
        if self.recipients is None and not self.recipient_fields and not self.team_roles:
            raise ValueError(f"Reminder rule {self.code} names no recipients")
        if bool(self.team_roles) != bool(self.team_of):
            raise ValueError(f"Reminder rule {self.code} needs both team_roles and team_of")

    def group_for(self, threshold: Threshold) -> str:
        return threshold.group or self.group

    def latest_threshold(
        self, due: date, today: date, calendar: WorkingCalendar
    ) -> tuple[Threshold, str] | None:
        """The newest threshold an item due on ``due`` has reached by ``today``, with its
        label (weekly labels carry the week number), or None if none yet."""
        reached = None
        for threshold in self.thresholds:
            fires = threshold.fires_on(due, calendar)
            if fires <= today and (reached is None or fires >= reached[0]):
                label = threshold.label
                if threshold.kind == "weekly":
                    label = f"week{(today.toordinal() - due.toordinal()) // 7}"
                reached = (fires, threshold, label)
        return (reached[1], reached[2]) if reached else None


_RULES: dict[str, ReminderRule] = {}


def register(rule: ReminderRule) -> None:
    """Add a rule (idempotent by code, so a second ``ready()`` call is harmless)."""
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        existing = _RULES[rule.code]
        if existing.title != rule.title:
            raise ValueError(f"Two reminder rules use the code {rule.code}")
    _RULES[rule.code] = rule


def unregister(code: str) -> None:
    """For tests that register a throwaway rule."""
    _RULES.pop(code, None)


def rules() -> tuple[ReminderRule, ...]:
    return tuple(_RULES.values())


def get(code: str) -> ReminderRule:
    return _RULES[code]
