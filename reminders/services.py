"""Writes: scanning a rule into reminder rows, turning them into notifications and emails,
sending an email once, the daily digest, acknowledging, preferences and calendar feeds.

Every write here is idempotent: the unique reminder key (T7) makes a second scan insert
nothing, the one-to-one notification and delivery rows make a second materialise create
nothing, and a sender claims its row with a conditional update before sending.
"""

import functools
import itertools
import json
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContainedBy
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.db.models.sql.compiler import SQLCompiler
from django.template.loader import render_to_string
from django.utils import timezone

from children.selectors import children_visible_pairs, children_visible_to
from iro_service.core.errors import RuleViolation
from people.models import User
from people.roles import Role
from people.selectors import role_holders_by_team
from reminders import clock, registry
from reminders.enqueue import enqueue_many_on_commit, enqueue_on_commit
from reminders.models import (
    IMMEDIATE_BY_DEFAULT,
    CalendarFeed,
    EmailDelivery,
    Group,
    Notification,
    Preference,
    Reminder,
    ScanRun,
)
from reminders.sending import PermanentFailure, TransientFailure, send_email
from timescales.calendar import WorkingCalendar
from timescales.services import working_calendar

logger = logging.getLogger(__name__)

DIGEST_TIME = time(7, 30)  # London time (issue 8)
RETRY_BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# A scan works through a rule's subjects this many at a time, inserts this many reminders
# at a time, and materialising reads this many reminders (four numbers each) at a time, so
# memory stays flat however many there are (issue 11).
SCAN_CHUNK = 5000
INSERT_BATCH = 1000
MATERIALISE_CHUNK = 10_000


@dataclass(frozen=True)
class ScanResult:
    rule: str
    today: date
    inserted: int
    failed: int


# --- scanning -------------------------------------------------------------------------


def _when(due: date, today: date, calendar: WorkingCalendar) -> str:
    days = calendar.working_days_between(today, due)
    if days > 0:
        return f"is due in {days} working day{'s' if days != 1 else ''}"
    if due == today:
        return "is due today"
    late = calendar.working_days_between(due, today)
    return f"is overdue by {late} working day{'s' if late != 1 else ''}"


Calendar = Callable[[], WorkingCalendar]
# roles -> (holders by team, every holder): people.selectors.role_holders_by_team, kept per scan
Holders = Callable[[tuple[Role, ...]], tuple[dict[int, list[int]], list[int]]]


def _latest_threshold(
    rule: registry.ReminderRule, today: date, calendar: Calendar
) -> Callable[[date], tuple[registry.Threshold, str] | None]:
    """``rule.latest_threshold`` for this scan's day, worked out once per due date (many
    subjects share one, and each answer counts working days for every threshold)."""
    return functools.cache(lambda due: rule.latest_threshold(due, today, calendar()))


# How far back a scan's query knows each due date's latest threshold, to leave out in SQL
# the subjects every recipient has been reminded of (``_unreminded``). Older due dates are
# checked against the ledger in Python, as every subject was before (correct, only slower).
LABEL_WINDOW_DAYS = 3 * 366


class _WeeksSince(Func):
    """Whole weeks from a due date to ``today``: the weekly threshold's number
    (``registry.Threshold.label``)."""

    output_field = IntegerField()
    template = "((%(expressions)s) / 7)"
    arg_joiner = " - "

    def __init__(self, today: date, due: str) -> None:
        super().__init__(Value(today, output_field=DateField()), F(due))


def _threshold_label(
    rule: registry.ReminderRule,
    latest: Callable[[date], tuple[registry.Threshold, str] | None],
    today: date,
    horizon: date,
) -> Case:
    """SQL for the label of the latest threshold an item has reached, from its due date:
    ``latest`` for each due date of the last ``LABEL_WINDOW_DAYS`` up to the horizon,
    written as runs of consecutive dates (a handful of WHENs); NULL for older due dates
    and those with no threshold reached yet."""
    runs: list[list] = []  # [first, last, label or "weekly"]
    for ordinal in range(today.toordinal() - LABEL_WINDOW_DAYS, horizon.toordinal() + 1):
        due = date.fromordinal(ordinal)
        reached = latest(due)
        label = reached and ("weekly" if reached[0].kind == "weekly" else reached[1])
        if runs and runs[-1][2] == label:
            runs[-1][1] = due
        else:
            runs.append([due, due, label])
    weeks = Concat(Value("week"), Cast(_WeeksSince(today, rule.due_field), CharField()))
    return Case(
        *(
            When(
                **{f"{rule.due_field}__range": (first, last)},
                then=weeks if label == "weekly" else Value(label),
            )
            for first, last, label in runs
            if label
        ),
        output_field=CharField(),
    )


class _TeamHolders(Func):
    """The holders of a rule's ``team_roles`` for the team in ``team`` (a user's team id),
    or every holder where the team has none: ``_team_recipients`` in SQL, from the same
    ``role_holders_by_team`` answer passed as one JSON parameter."""

    output_field = ArrayField(BigIntegerField())

    def __init__(self, team: str, by_team: Mapping[int, list[int]], everyone: list[int]) -> None:
        holders = {str(team_id): people for team_id, people in by_team.items() if people}
        super().__init__(Value(json.dumps({**holders, "": everyone})), F(team))

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, tuple]:
        (holders, holders_params), (team, team_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            f"ARRAY(SELECT jsonb_array_elements_text(COALESCE(({holders})::jsonb -> ({team})::text,"
            f" ({holders})::jsonb -> ''))::bigint)"
        )
        return sql, (*holders_params, *team_params, *holders_params)


def _unreminded(
    rule: registry.ReminderRule, subject_type: ContentType, holders: Holders
) -> Expression:
    """Some recipient of the row, those its ``recipient_fields`` name and the holders of
    ``team_roles`` for the team of its ``team_of`` user, lacks the reminder of its latest
    threshold (the ``threshold_label`` alias). A repeat scan's query leaves out the rest,
    so it reads the ledger once, in the database, one index probe a subject, instead of
    reading the ledger rows back per chunk (issue 11)."""
    named: Expression = Func(
        *(F(name) for name in rule.recipient_fields),
        template="array_remove(ARRAY[%(expressions)s]::bigint[], NULL)",
        output_field=ArrayField(BigIntegerField()),  # user ids (DEFAULT_AUTO_FIELD)
    )
    if rule.team_roles:
        team = f"{rule.team_of.removesuffix('_id')}__team_id"
        named = Func(
            named,
            _TeamHolders(team, *holders(rule.team_roles)),
            template="(%(expressions)s)",
            arg_joiner=" || ",
            output_field=ArrayField(BigIntegerField()),
        )
    reminded = ArraySubquery(
        Reminder.objects.filter(
            rule=rule.code,
            subject_type=subject_type,
            subject_id=OuterRef("id"),
            due_date=OuterRef(rule.due_field),
            threshold=OuterRef("threshold_label"),
        )
        .order_by()
        .values("recipient_id")
    )
    return ~ArrayContainedBy(named, reminded)


def _candidates(
    rule: registry.ReminderRule,
    today: date,
    calendar: Calendar,
    subject_type: ContentType,
    holders: Holders,
) -> Iterator[dict]:
    """The subjects whose latest reached threshold is a reminder, from one query read
    ``SCAN_CHUNK`` rows at a time (a server-side cursor: never every row at once), in id
    order, so that each chunk's ledger keys lie in one short stretch of the ledger's index
    (``_in_ledger``). An ``evaluate`` rule with many rows gives them in id order too (any
    order is correct, only slower).

    On PostgreSQL, a rule whose recipients its rows name (their columns, and the holders
    of ``team_roles`` for the team of the ``team_of`` user) leaves out, in the query, the
    subjects each of them has been reminded of already (``_unreminded``): a repeat scan
    then reads almost nothing back. People given by a ``recipients`` function are not known
    to the query, and SQLite (``make run``) has no arrays: those subjects are checked
    against the ledger in Python, per chunk."""
    if rule.evaluate is not None:
        rows = rule.evaluate(today, calendar())
        if rule.thresholds:
            rows = _reached(rule, rows, today, calendar)
        for row in rows:
            row.setdefault("group", rule.group)
            yield row
        return
    horizon = max(threshold.horizon(today) for threshold in rule.thresholds)
    fields = [
        "id",
        rule.due_field,
        *([rule.child_field] if rule.child_field else []),
        *rule.values,
        *rule.recipient_fields,
        *([rule.team_of] if rule.team_of and rule.team_of not in rule.recipient_fields else []),
    ]
    latest = _latest_threshold(rule, today, calendar)
    items = rule.open_items().filter(**{f"{rule.due_field}__lte": horizon})
    if connection.vendor == "postgresql" and rule.recipients is None:
        items = items.alias(threshold_label=_threshold_label(rule, latest, today, horizon))
        items = items.filter(_unreminded(rule, subject_type, holders))
    for row in items.order_by("id").values(*fields).iterator(chunk_size=SCAN_CHUNK):
        due = row[rule.due_field]
        reached = latest(due)
        if reached is None:
            continue
        threshold, label = reached
        row["due"] = due
        row["child_id"] = row.get(rule.child_field) if rule.child_field else None
        row["threshold"] = label
        row["group"] = rule.group_for(threshold)
        yield row


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    """``rows`` in lists of at most ``size``."""
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _reached(
    rule: registry.ReminderRule, rows: Iterable[dict], today: date, calendar: Calendar
) -> Iterator[dict]:
    """For an ``evaluate`` rule with thresholds: the rows (each with its ``due``) whose
    latest reached threshold is a reminder, labelled like a column-based rule's."""
    latest = _latest_threshold(rule, today, calendar)
    for row in rows:
        reached = latest(row["due"])
        if reached is not None:
            threshold, label = reached
            yield {**row, "threshold": label, "group": rule.group_for(threshold)}


def _recipients(
    rule: registry.ReminderRule, candidates: list[dict], holders: Holders
) -> dict[int, list[int | None]]:
    """Each subject's recipients: the users its row's ``recipient_fields`` name (None where
    the column is empty), the holders of ``rule.team_roles`` for the team of its
    ``team_of`` user, and those ``rule.recipients`` gives (called once for every subject)."""
    given = rule.recipients([row["id"] for row in candidates]) if rule.recipients else {}
    teams = _team_recipients(rule, candidates, holders) if rule.team_roles else {}
    return {
        row["id"]: [
            *(row[name] for name in rule.recipient_fields),
            *teams.get(row["id"], ()),
            *given.get(row["id"], ()),
        ]
        for row in candidates
    }


def _team_recipients(
    rule: registry.ReminderRule, candidates: list[dict], holders: Holders
) -> dict[int, list[int]]:
    """``rule.team_roles`` for each subject: those for the team of the user its row's
    ``team_of`` names, or every holder (one query for the users' teams)."""
    by_team, everyone = holders(rule.team_roles)
    owners = {row[rule.team_of] for row in candidates} - {None}
    team_of = dict(User.objects.filter(pk__any=owners).values_list("pk", "team_id"))
    return {
        row["id"]: by_team.get(team_of.get(row[rule.team_of]), everyone) or everyone
        for row in candidates
    }


def _not_in_ledger(
    candidates: list[dict],
    recipients: Mapping[int, Iterable[int | None]],
    present: set[tuple[int, date, str, int]],
) -> list[tuple[dict, set[int]]]:
    """Each candidate with its recipients who do not have its reminder yet (a repeat scan
    finds none, and so asks nothing more)."""
    waiting = []
    for row in candidates:
        key = (row["id"], row["due"], row["threshold"])
        users = {
            user_id
            for user_id in recipients.get(row["id"], ())
            if user_id and (*key, user_id) not in present
        }
        if users:
            waiting.append((row, users))
    return waiting


def _visible_only(waiting: list[tuple[dict, set[int]]]) -> list[tuple[dict, set[int]]]:
    """Keep the recipients ``children_visible_to`` lets see the reminder's child, asked once
    for every (recipient, child) pair (a constant number of queries, however many
    recipients and children): a reminder about a hidden child is never created."""
    visible = children_visible_pairs(
        (user_id, row["child_id"])
        for row, users in waiting
        if row["child_id"] is not None
        for user_id in users
    )
    todo = []
    for row, users in waiting:
        child_id = row["child_id"]
        seen = {user for user in users if child_id is None or (user, child_id) in visible}
        if seen:
            todo.append((row, seen))
    return todo


def _in_ledger(
    code: str, subject_type: ContentType, candidates: list[dict]
) -> set[tuple[int, date, str, int]]:
    """The keys (subject, due date, threshold, recipient) of these candidates already in the
    ledger, from one query over the unique key's index, whose leading columns (rule,
    subject type, subject id) are exactly this lookup (a superset filtered here). Reading
    them first spares a repeat scan asking visibility, building rows and inserting rows
    that would all conflict; the insert still ignores conflicts, so a scan running beside
    this one is harmless.

    The range of the chunk's subject ids is what PostgreSQL reads the index by: given only
    ``subject_id = ANY(ids)`` it reads the rule's every ledger row for every chunk, so a
    repeat scan grew with the square of the data (issue 11: 3.7 times the time for twice
    the data at England scale). Candidates come in id order, so each range is short and the
    chunks together read the rule's ledger once."""
    ids = [row["id"] for row in candidates]
    rows = (
        Reminder.objects.filter(
            rule=code,
            subject_type=subject_type,
            subject_id__gte=min(ids),
            subject_id__lte=max(ids),
            subject_id__any=ids,
            threshold__any={row["threshold"] for row in candidates},
        )
        .order_by()
        .values_list("subject_id", "due_date", "threshold", "recipient_id")
    )
    return set(rows)


def immediate_groups(user_ids: Iterable[int]) -> dict[int, set[str]]:
    """The groups each user gets straight away (their choice, else the default)."""
    chosen: dict[int, dict[str, str]] = defaultdict(dict)
    for user_id, group, mode in Preference.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "group", "mode"
    ):
        chosen[user_id][group] = mode
    result = {}
    for user_id in user_ids:
        result[user_id] = {
            group
            for group in Group.values
            if chosen[user_id].get(group, "immediate" if group in IMMEDIATE_BY_DEFAULT else "")
            == Preference.Mode.IMMEDIATE
        }
    return result


def _reminders(
    rule: registry.ReminderRule,
    row: dict,
    users: set[int],
    subject_type: ContentType,
    today: date,
    calendar: WorkingCalendar,
    immediate: Mapping[int, set[str]],
) -> list[Reminder]:
    """The reminder rows of one subject for these recipients (raises on bad data in a
    wording or a reference)."""
    reference = rule.reference(row)
    message = rule.wording.format(
        **{
            **row,
            "reference": reference,
            "title": rule.title,
            "when": _when(row["due"], today, calendar),
        }
    )
    link = rule.link(row) if rule.link else ""
    return [
        Reminder(
            rule=rule.code,
            subject_type=subject_type,
            subject_id=row["id"],
            due_date=row["due"],
            threshold=row["threshold"],
            recipient_id=user_id,
            child_id=row["child_id"],
            group=row["group"],
            immediate=row["group"] in immediate.get(user_id, set()),
            reference=reference[:80],
            message=message[:200],
            link=link[:200],
        )
        for user_id in sorted(users)
    ]


def _insert(
    rule: registry.ReminderRule,
    todo: list[tuple[dict, set[int]]],
    subject_type: ContentType,
    today: date,
    calendar: WorkingCalendar,
) -> tuple[int, int]:
    """Insert the reminder rows of these subjects for these recipients, ``INSERT_BATCH`` at
    a time, then their notifications and emails; return how many were inserted and how many
    subjects failed (bad data in a wording or a reference: logged by id and skipped)."""
    immediate = immediate_groups({user for _, users in todo for user in users})
    batch: list[Reminder] = []
    failed = 0
    for row, users in todo:
        try:
            batch += _reminders(rule, row, users, subject_type, today, calendar, immediate)
        except Exception as error:  # a bad subject never blocks the rest
            failed += 1
            logger.error(
                "reminder rule %s: subject %s skipped (%s)",
                rule.code,
                row.get("id"),
                type(error).__name__,
            )
        if len(batch) >= INSERT_BATCH:
            Reminder.objects.bulk_create(batch[:INSERT_BATCH], ignore_conflicts=True)
            del batch[:INSERT_BATCH]
    Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    # Only rows just inserted can lack a notification: the chunk's subjects' rows are read
    # through the unique key's index rather than the rule's whole history.
    new = Reminder.objects.filter(
        rule=rule.code,
        subject_type=subject_type,
        subject_id__any=[row["id"] for row, _ in todo],
        notification__isnull=True,
    )
    return _materialise(new), failed


def _record_scan_unflushed(code: str, today: date, failed: int) -> None:
    """Record a scan that inserted nothing (the daily steady state) in one statement whose
    commit does not wait for the disk: PostgreSQL's ``synchronous_commit`` is off for that
    statement's own transaction only. Waiting for the flush was most of a repeat scan's
    time; the record is for health alone, so a database crash in the moment after it may
    lose it and nothing else. Inside a caller's transaction, or on another database, it is
    an ordinary insert."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        ScanRun.objects.create(rule=code, today=today, subjects_failed=failed)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reminders_scanrun (rule, today, finished_at, rows_inserted, "
            "subjects_failed) SELECT %s, %s, %s, 0, %s "
            "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed",
            [code, today, timezone.now(), failed],
        )


def rule_scan(code: str, *, today: date | None = None) -> ScanResult:
    """Scan one rule: insert a reminder per (subject, latest threshold, recipient), then its
    notification and, for people who want it straight away, its email (sent on commit).

    Streamed, so memory stays flat however many subjects a rule has (issue 11): one query
    selects the subjects with the recipients their rows name (``recipient_fields``), less
    those every recipient has been reminded of where the rule has no ``recipients``
    function (``_candidates``), read through a server-side cursor ``SCAN_CHUNK`` at a time,
    and for each chunk ``recipients`` is called once, one query finds the chunk's keys
    already in the ledger, visibility is asked once for every remaining (recipient, child)
    pair and the rest go in one insert per thousand rows. Up to ``SCAN_CHUNK`` subjects (a
    council's every rule) that is a number of queries that does not grow with the subjects,
    recipients or children; beyond it the per-chunk queries repeat once per chunk. A rule
    computed by ``evaluate`` gives its rows one at a time (the conferences' read theirs
    through a server-side cursor too), chunked the same way.
    A subject that fails (bad data in a wording or a reference) is logged by id and skipped.

    A rule is all or nothing: from the first chunk with something to insert to the scan's
    record, every insert is one transaction, so no reminder is committed without its
    notification and a failed scan leaves nothing (the ids of its immediate emails wait in
    memory for the commit, one number each). A scan that inserts nothing (a repeat scan)
    opens none and records itself in one statement.
    """
    rule = registry.get(code)
    today = today or clock.today()
    calendar = functools.cache(working_calendar)  # read once, and only if something is due
    holders: Holders = functools.cache(role_holders_by_team)  # read once, if the rule asks
    subject_type = ContentType.objects.get_for_model(rule.subject_model or rule.open_items().model)
    inserted = failed = 0
    writing = False
    with ExitStack() as stack:
        for chunk in _chunks(_candidates(rule, today, calendar, subject_type, holders), SCAN_CHUNK):
            present = _in_ledger(code, subject_type, chunk)
            recipients = _recipients(rule, chunk, holders)
            todo = _visible_only(_not_in_ledger(chunk, recipients, present))
            if not todo:
                continue
            if not writing:
                stack.enter_context(transaction.atomic())
                writing = True
            made, skipped = _insert(rule, todo, subject_type, today, calendar())
            inserted, failed = inserted + made, failed + skipped
        if writing:
            ScanRun.objects.create(
                rule=code, today=today, rows_inserted=inserted, subjects_failed=failed
            )
    if not writing:
        _record_scan_unflushed(code, today, failed)
    logger.info("reminder rule %s scanned for %s: %s new, %s failed", code, today, inserted, failed)
    return ScanResult(rule=code, today=today, inserted=inserted, failed=failed)


def scan_runs_prune(*, keep_days: int = 30) -> int:
    """Scan records are for health only: keep a month of them."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    return ScanRun.objects.filter(finished_at__lt=cutoff).delete()[0]


def reminders_materialise() -> int:
    """Create the notification of every reminder that has none, and the email row of every
    immediate one; queue those emails after the commit. Returns the notifications made."""
    return _materialise(Reminder.objects.filter(notification__isnull=True))


def _materialise(new: QuerySet[Reminder]) -> int:
    """The notifications and immediate emails of these reminders, read ``MATERIALISE_CHUNK``
    at a time in id order (one read when there are fewer); their emails are queued on
    commit."""
    from reminders.tasks import send_email_task

    made, after = 0, 0
    while True:
        rows = list(
            new.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "recipient_id", "child_id", "immediate")[:MATERIALISE_CHUNK]
        )
        Notification.objects.bulk_create(
            [
                Notification(reminder_id=pk, recipient_id=uid, child_id=cid)
                for pk, uid, cid, _ in rows
            ],
            ignore_conflicts=True,
            batch_size=INSERT_BATCH,
        )
        EmailDelivery.objects.bulk_create(
            [
                EmailDelivery(kind=EmailDelivery.Kind.IMMEDIATE, recipient_id=uid, reminder_id=pk)
                for pk, uid, _, now in rows
                if now
            ],
            ignore_conflicts=True,
            batch_size=INSERT_BATCH,
        )
        pending = EmailDelivery.objects.filter(
            reminder_id__any=[pk for pk, *_ in rows], status=EmailDelivery.Status.PENDING
        ).values_list("pk", flat=True)
        enqueue_many_on_commit(send_email_task, [(pk,) for pk in pending])
        made += len(rows)
        if len(rows) < MATERIALISE_CHUNK:
            return made
        after = rows[-1][0]


# --- sending --------------------------------------------------------------------------


def _claim(delivery_id: int) -> bool:
    """``UPDATE ... SET status='sending' WHERE id = %s AND status = 'pending'``: exactly one
    sender wins, however many copies of the task run."""
    now = timezone.now()
    return bool(
        EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=EmailDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _email_content(delivery: EmailDelivery) -> tuple[str, str, str, str] | None:
    """Subject, text, HTML and reference: a link and a reference only (never a name)."""
    if delivery.kind == EmailDelivery.Kind.MESSAGE:
        return delivery.subject, delivery.text, delivery.html, delivery.reference
    if delivery.kind == EmailDelivery.Kind.IMMEDIATE:
        reminder = delivery.reminder
        assert reminder is not None
        if reminder.child_id is not None:
            visible = children_visible_to(delivery.recipient).filter(pk=reminder.child_id)
            if not visible.exists():
                return None
        items = [reminder]
        template = "reminders/email/reminder"
        subject = f"{settings.SERVICE_NAME}: reminder {reminder.reference}"
        reference = f"{reminder.rule} {reminder.reference}"
    else:
        visible = children_visible_to(delivery.recipient).values("pk")
        items = list(
            Reminder.objects.filter(digest=delivery)
            .filter(Q(child__isnull=True) | Q(child__in=visible))
            .order_by("rule", "due_date", "pk")
        )
        if not items:
            return None
        template = "reminders/email/digest"
        subject = f"{settings.SERVICE_NAME}: {len(items)} reminder{'s' if len(items) != 1 else ''}"
        reference = f"DIGEST-{delivery.pk}"
    context = {
        "items": items,
        "count": len(items),
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "list_url": settings.SITE_URL + "/notifications/",
    }
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return subject, text, html, reference


def delivery_send(*, delivery_id: int) -> str:
    """Send one email at most once: claim, send, record the provider's id. Transient
    failures go back to pending with back-off; permanent ones (or too many tries) fail and
    are listed to administrators. Returns what happened, for logs and tests."""
    if not _claim(delivery_id):
        return "not claimed"
    delivery = EmailDelivery.objects.select_related("recipient", "reminder").get(pk=delivery_id)
    done = EmailDelivery.objects.filter(pk=delivery_id, status=EmailDelivery.Status.SENDING)
    content = _email_content(delivery)
    if content is None:
        done.update(status=EmailDelivery.Status.CANCELLED)
        return "cancelled"
    subject, text, html, reference = content
    attachments = [("meeting.ics", delivery.ics.encode(), "text/calendar")] if delivery.ics else []
    try:
        provider_id = send_email(
            to=delivery.to_address or delivery.recipient.email,
            subject=subject,
            text=text,
            html=html,
            reference=reference,
            attachments=attachments,
        )
    except TransientFailure as error:
        if delivery.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            done.update(status=EmailDelivery.Status.FAILED, error=f"gave up: {error}"[:200])
            logger.error("email %s failed after %s attempts", delivery_id, delivery.attempts)
            return "failed"
        wait = RETRY_BACKOFF_MINUTES[min(delivery.attempts, len(RETRY_BACKOFF_MINUTES)) - 1]
        done.update(
            status=EmailDelivery.Status.PENDING,
            next_attempt_at=timezone.now() + timedelta(minutes=wait),
            error=str(error)[:200],
        )
        logger.warning("email %s will be retried in %s min", delivery_id, wait)
        return "retry"
    except PermanentFailure as error:
        done.update(status=EmailDelivery.Status.FAILED, error=str(error)[:200])
        logger.error("email %s failed permanently", delivery_id)
        return "failed"
    done.update(
        status=EmailDelivery.Status.SENT, sent_at=timezone.now(), provider_id=provider_id[:200]
    )
    return "sent"


def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    reference: str,
    html: str = "",
    ics: bytes = b"",
) -> EmailDelivery:
    """Hand an app's email to the gateway (an invitation, with its .ics file): the row is
    the truth, sent after the commit by a worker that claims it first, retried with
    back-off, failures listed to administrators, never sent twice. The caller must put no
    child's name or case details in it (SECURITY.md T4): a reference and a link."""
    delivery = EmailDelivery.objects.create(
        kind=EmailDelivery.Kind.MESSAGE,
        to_address=to,
        subject=subject[:200],
        text=text,
        html=html,
        reference=reference[:80],
        ics=ics.decode(),
    )
    from reminders.tasks import send_email_task

    enqueue_on_commit(send_email_task, delivery.pk)
    return delivery


def deliveries_sweep() -> list[int]:
    """Put rows claimed by a worker that died back to pending (after the lease), and return
    every pending row that is due a try: the sweep task queues them again."""
    now = timezone.now()
    lease = timedelta(seconds=settings.REMINDERS_SEND_LEASE_SECONDS)
    EmailDelivery.objects.filter(
        status=EmailDelivery.Status.SENDING, claimed_at__lt=now - lease
    ).update(status=EmailDelivery.Status.PENDING)
    return list(
        EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )


def digests_prepare(*, now: datetime | None = None) -> list[int]:
    """From 07:30 London time, gather each person's reminders not yet emailed into that
    day's one digest (one per person per day) and return the digests to send.

    Beat calls this every 15 minutes in UTC; the London check here keeps the digest at 07:30
    local time on both sides of the clock change. A reminder joins a digest only while the
    digest is still pending (the row is locked), so none is left behind in a sent one.
    """
    local = timezone.localtime(now or timezone.now())
    if local.time() < DIGEST_TIME:
        return []
    day = local.date()
    waiting = (
        Reminder.objects.filter(immediate=False, digest__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    ready = []
    for recipient_id in list(waiting):
        with transaction.atomic():
            delivery, _ = EmailDelivery.objects.get_or_create(
                kind=EmailDelivery.Kind.DIGEST, recipient_id=recipient_id, digest_date=day
            )
            delivery = EmailDelivery.objects.select_for_update().get(pk=delivery.pk)
            if delivery.status != EmailDelivery.Status.PENDING:
                continue  # today's digest went already: these wait for tomorrow's
            Reminder.objects.filter(
                recipient_id=recipient_id, immediate=False, digest__isnull=True
            ).update(digest=delivery)
            ready.append(delivery.pk)
    return ready


# --- in-app ---------------------------------------------------------------------------


@transaction.atomic
def notifications_acknowledge(*, ids: Iterable[int], by: User) -> int:
    """Mark the user's own unread notifications as read; keeps who and when. Others' ids
    are ignored (a notification belongs to its recipient). Returns how many changed."""
    return Notification.objects.filter(
        pk__in=list(ids), recipient=by, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now(), acknowledged_by=by)


@transaction.atomic
def preferences_set(*, user: User, modes: dict[str, str], by: User) -> None:
    """Save a user's immediate/digest choice per group (their own only)."""
    if by.pk != user.pk:
        raise RuleViolation("You can only change your own email settings.")
    for group, mode in modes.items():
        if group not in Group.values or mode not in Preference.Mode.values:
            raise RuleViolation("Choose how to get each kind of reminder.", field=group)
        Preference.objects.update_or_create(user=user, group=group, defaults={"mode": mode})


@transaction.atomic
def calendar_feed_renew(*, by: User) -> str:
    """Give the user a new secret calendar address; the old one stops working. Returns the
    token, which is not stored (only its hash is): the caller shows it once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=by,
        defaults={"token_hash": CalendarFeed.hash_token(token), "created_at": timezone.now()},
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, by: User) -> None:
    CalendarFeed.objects.filter(user=by).delete()
