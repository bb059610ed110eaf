"""Each rule fires exactly when it should: thresholds counted in working days around a bank
holiday, "today" as the London date across the clock change, and no repeats."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from children.models import Child, ConflictDeclaration, PeriodOfCare
from people.roles import Role
from reminders import registry
from reminders.builtin import calendar_known_until
from reminders.models import EmailDelivery, Group, Reminder, ScanRun
from reminders.registry import ReminderRule, Threshold
from reminders.services import rule_scan
from tests.conftest import make_user, requires_postgres
from tests.factories import ChildFactory
from tests.reminders.helpers import notified, period_due, s47_due, thresholds_for

pytestmark = pytest.mark.django_db

# Wednesday 7 May 2025; Monday 5 May is the Early May bank holiday.
DUE = date(2025, 5, 7)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 5, 1), []),  # Thu: 3 WD before (Fri, Tue, Wed... Mon is a holiday)
        (date(2025, 5, 2), ["-2wd"]),  # Fri: 2 WD before, because Mon 5 May is not one
        (date(2025, 5, 6), ["-2wd"]),  # Tue: still the same reminder, nothing new
        (date(2025, 5, 7), ["0"]),  # the due date
        (date(2025, 5, 8), ["+1wd"]),  # 1 WD after
        (date(2025, 5, 13), ["+1wd"]),  # not yet a week overdue
        (date(2025, 5, 14), ["week1"]),  # weekly while overdue
        (date(2025, 5, 21), ["week2"]),
    ],
)
def test_allocation_reminder_fires_on_the_latest_threshold_reached(people, child, today, expected):
    period_due(child, DUE)
    rule_scan("CLA-11", today=today)
    assert thresholds_for(people["mandy"], "CLA-11") == expected
    assert thresholds_for(people["betty"], "CLA-11") == expected


def test_walking_day_by_day_gives_each_threshold_once(people, child):
    period_due(child, DUE)
    for day in range(1, 22):
        rule_scan("CLA-11", today=date(2025, 5, day))
    assert thresholds_for(people["mandy"], "CLA-11") == ["-2wd", "0", "+1wd", "week1", "week2"]


def test_a_second_scan_inserts_nothing(people, child):
    period_due(child, DUE)
    first = rule_scan("CLA-11", today=DUE)
    second = rule_scan("CLA-11", today=DUE)
    assert (first.inserted, second.inserted) == (2, 0)  # mandy and betty
    assert Reminder.objects.count() == 2
    assert notified(people["mandy"]) == 1
    assert list(ScanRun.objects.order_by("pk").values_list("rows_inserted", flat=True)) == [2, 0]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_that_inserts_nothing_records_itself_without_changing_the_connection(people, child):
    """Its record is committed without waiting for the disk, for that one statement: the
    connection's own setting is the same afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def synchronous_commit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    period_due(child, DUE)
    rule_scan("CLA-11", today=DUE)
    before = synchronous_commit()
    with CaptureQueriesContext(connection) as queries:
        assert rule_scan("CLA-11", today=DUE).inserted == 0
    assert any("synchronous_commit" in query["sql"] for query in queries.captured_queries)
    assert synchronous_commit() == before
    runs = ScanRun.objects.order_by("pk").values_list("rule", "today", "rows_inserted")
    assert list(runs) == [("CLA-11", DUE, 2), ("CLA-11", DUE, 0)]


def test_a_rule_must_name_its_recipients():
    base = registry.get("CLA-11")
    with pytest.raises(ValueError, match="names no recipients"):
        ReminderRule(
            code="TEST-NOBODY",
            title="Test",
            group=Group.DEADLINES,
            open_items=base.open_items,
            due_field=base.due_field,
            thresholds=(Threshold.on_the_day(),),
            wording="{reference} {when}",
            reference=lambda row: f"POC-{row['id']}",
        )


def test_allocated_or_ended_periods_are_not_reminded(people, child):
    period = period_due(child, DUE)
    period.iro_allocated_on = date(2025, 5, 6)
    period.save(update_fields=["iro_allocated_on"])
    rule_scan("CLA-11", today=DUE)
    assert Reminder.objects.count() == 0


def test_allocation_goes_to_iro_managers_and_business_support_only(people, child):
    period_due(child, DUE)
    rule_scan("CLA-11", today=DUE)
    recipients = set(Reminder.objects.values_list("recipient__email", flat=True))
    assert recipients == {"mandy@staff.example.org", "betty@staff.example.org"}


def test_today_is_the_london_date_in_summer_time(people, child):
    period_due(child, DUE)
    # 23:30 UTC on 6 May is 00:30 on 7 May in London (BST): the due date has arrived.
    with time_machine.travel(datetime(2025, 5, 6, 23, 30, tzinfo=UTC), tick=False):
        rule_scan("CLA-11")
    assert thresholds_for(people["mandy"], "CLA-11") == ["0"]


def test_today_is_the_london_date_in_winter(people, child):
    period_due(child, date(2025, 1, 15))
    # 23:30 UTC on 14 January is still 14 January in London (GMT): not the due day yet.
    with time_machine.travel(datetime(2025, 1, 14, 23, 30, tzinfo=UTC), tick=False):
        rule_scan("CLA-11")
    assert thresholds_for(people["mandy"], "CLA-11") == ["-2wd"]


def test_icpc_overdue_goes_to_business_support_and_team_manager_straight_away(people, child):
    s47_due(child, DUE)
    rule_scan("CP-1", today=date(2025, 5, 8))
    rows = Reminder.objects.filter(rule="CP-1")
    assert {r.recipient.email for r in rows} == {
        "betty@staff.example.org",
        "terry@staff.example.org",
    }
    assert {r.group for r in rows} == {Group.OVERDUE_MEETINGS}
    # Overdue statutory meetings are immediate by default: one email row each.
    assert EmailDelivery.objects.filter(kind="immediate").count() == 2


def test_icpc_coming_up_waits_for_the_digest(people, child):
    s47_due(child, DUE)
    rule_scan("CP-1", today=date(2025, 4, 30))  # 5 WD before (Mon 5 May is a holiday)
    assert thresholds_for(people["betty"], "CP-1") == ["-5wd"]
    assert EmailDelivery.objects.count() == 0


def test_icpc_not_required_is_not_reminded(people, child):
    enquiry = s47_due(child, DUE)
    enquiry.icpc_not_required = True
    enquiry.save(update_fields=["icpc_not_required"])
    rule_scan("CP-1", today=date(2025, 5, 8))
    assert Reminder.objects.count() == 0


def test_restricted_child_is_reminded_only_to_its_allow_list(people, org):
    hidden = ChildFactory(team=org["team"], restricted=True)
    hidden.allowed_users.add(people["betty"])
    period_due(hidden, DUE)
    rule_scan("CLA-11", today=DUE)
    assert set(Reminder.objects.values_list("recipient__email", flat=True)) == {
        "betty@staff.example.org"
    }


def test_caseload_above_70_per_fte_alerts_the_iro_service_manager(people, org):
    ChildFactory.create_batch(71, iro=people["alice"], team=org["team"])
    ChildFactory.create_batch(70, iro=people["bob"], team=org["team"])
    rule_scan("CLA-16", today=date(2025, 5, 7))
    rows = list(Reminder.objects.filter(rule="CLA-16"))
    assert [(r.recipient.email, r.subject_id) for r in rows] == [
        ("mandy@staff.example.org", people["alice"].pk)
    ]
    assert "71 children, above 70" in rows[0].message
    # Weekly: the same week gives nothing new, the next week a new alert.
    assert rule_scan("CLA-16", today=date(2025, 5, 9)).inserted == 0
    assert rule_scan("CLA-16", today=date(2025, 5, 12)).inserted == 1


def test_caseload_threshold_follows_fte(people, org):
    people["bob"].fte = "0.50"
    people["bob"].save(update_fields=["fte"])
    ChildFactory.create_batch(36, iro=people["bob"], team=org["team"])
    rule_scan("CLA-16", today=date(2025, 5, 7))
    assert Reminder.objects.filter(rule="CLA-16", subject_id=people["bob"].pk).count() == 1


def test_calendar_known_until_is_the_last_complete_year_generated():
    assert calendar_known_until(date(2026, 11, 28)) == date(2045, 12, 31)


def test_calendar_running_out_warns_administrators_within_12_months(people):
    admin = make_user("adam", Role.SYSTEM_ADMIN)
    assert rule_scan("CAL-12M", today=date(2044, 12, 31)).inserted == 0
    assert rule_scan("CAL-12M", today=date(2045, 1, 2)).inserted == 1
    assert thresholds_for(admin, "CAL-12M") == ["12m"]
    assert rule_scan("CAL-12M", today=date(2045, 6, 1)).inserted == 0


def test_a_failing_subject_is_logged_and_skipped(people, child, org, caplog):
    other = ChildFactory(team=org["team"])
    bad = period_due(child, DUE)
    period_due(other, DUE)

    def reference(row):
        if row["id"] == bad.pk:
            raise ValueError("broken data")
        return f"POC-{row['id']}"

    base = registry.get("CLA-11")
    rule = ReminderRule(
        code="TEST-FAIL",
        title="Test",
        group=Group.DEADLINES,
        open_items=base.open_items,
        due_field=base.due_field,
        thresholds=(Threshold.on_the_day(),),
        recipients=base.recipients,
        wording="{reference} {when}",
        reference=reference,
    )
    registry.register(rule)
    try:
        result = rule_scan("TEST-FAIL", today=DUE)
    finally:
        registry.unregister("TEST-FAIL")
    assert (result.inserted, result.failed) == (2, 1)
    assert set(Reminder.objects.values_list("subject_id", flat=True)) == {
        other.periods_of_care.get().pk
    }
    assert f"subject {bad.pk} skipped (ValueError)" in caplog.text
    assert "broken data" not in caplog.text


def test_wording_and_reference_never_carry_the_childs_name(people, child):
    period_due(child, DUE)
    rule_scan("CLA-11", today=DUE)
    reminder = Reminder.objects.first()
    text = reminder.message + reminder.reference
    assert child.first_name not in text and child.last_name not in text
    assert reminder.message.startswith("IRO allocation for POC-")
    assert "is due today" in reminder.message


def test_scan_query_count_does_not_grow_with_subjects(people, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n: int) -> int:
        Reminder.objects.all().delete()
        Child.objects.filter(periods_of_care__isnull=False)
        for _ in range(n):
            period_due(ChildFactory(team=org["team"]), DUE)
        with CaptureQueriesContext(connection) as ctx:
            rule_scan("CLA-11", today=DUE)
        return len(ctx.captured_queries)

    count(1)  # warms the per-process content type cache
    assert count(1) == count(50)


def test_scan_query_count_does_not_grow_with_recipients_or_children(people, org):
    """Visibility is asked once for every (recipient, child) pair: 2 recipients and 5
    children cost the same queries as 20 and 50, with social workers, team managers, heads
    of service and IROs among them, restricted children and a declared conflict."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    roles = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.IRO]
    staff = [make_user(f"many{i}", roles[i % 4], org["team"]) for i in range(20)]
    chosen: list[int] = []
    base = registry.get("CLA-11")
    rule = ReminderRule(
        code="TEST-MANY",
        title="Test",
        group=Group.DEADLINES,
        open_items=base.open_items,
        due_field=base.due_field,
        thresholds=(Threshold.on_the_day(),),
        recipients=lambda ids: dict.fromkeys(ids, chosen),
        wording="{reference} {when}",
        reference=lambda row: f"POC-{row['id']}",
    )

    def count(n_recipients: int, n_children: int) -> tuple[int, int]:
        Reminder.objects.all().delete()
        PeriodOfCare.objects.all().delete()
        chosen[:] = [user.pk for user in staff[:n_recipients]]
        children = [
            ChildFactory(team=org["team"], restricted=i % 5 == 0) for i in range(n_children)
        ]
        children[0].allowed_users.add(staff[0])
        ConflictDeclaration.objects.create(
            child=children[1], user=staff[1], reason="Family", declared_by=staff[1]
        )
        for each in children:
            period_due(each, DUE)
        with CaptureQueriesContext(connection) as queries:
            inserted = rule_scan("TEST-MANY", today=DUE).inserted
        return len(queries.captured_queries), inserted

    registry.register(rule)
    try:
        count(2, 5)  # warms the per-process content type cache
        small, large = count(2, 5), count(20, 50)
    finally:
        registry.unregister("TEST-MANY")
    assert small[0] == large[0]
    # Each non-restricted child to everyone who sees team A's children (heads of service
    # see only the teams they manage: none), less the conflict, plus the allow-listed one.
    assert (small[1], large[1]) == (2 * 4 - 1 + 1, 15 * 40 - 1 + 1)


def _ledger() -> list[tuple]:
    """Every reminder with its notification and email, by key (ids left out)."""
    return list(
        Reminder.objects.order_by(
            "rule", "subject_id", "due_date", "threshold", "recipient_id"
        ).values_list(
            "rule",
            "subject_id",
            "due_date",
            "threshold",
            "recipient_id",
            "child_id",
            "group",
            "immediate",
            "reference",
            "message",
            "link",
            "notification__recipient_id",
            "delivery__kind",
            "delivery__recipient_id",
        )
    )


def test_a_scan_in_chunks_writes_what_a_scan_in_one_does(people, org, monkeypatch):
    """Issue 11: subjects two at a time, reminders inserted three at a time and
    materialised two at a time give the same reminders, notifications and emails (CP-1 one
    working day overdue: immediate emails) as one chunk, one scan record, and a repeat scan
    in chunks inserts nothing."""
    from reminders import services

    for _ in range(7):
        s47_due(ChildFactory(team=org["team"]), DUE)
    rule_scan("CP-1", today=date(2025, 5, 8))
    whole = _ledger()
    Reminder.objects.all().delete()
    ScanRun.objects.all().delete()
    monkeypatch.setattr(services, "SCAN_CHUNK", 2)
    monkeypatch.setattr(services, "INSERT_BATCH", 3)
    monkeypatch.setattr(services, "MATERIALISE_CHUNK", 2)
    first = rule_scan("CP-1", today=date(2025, 5, 8))
    again = rule_scan("CP-1", today=date(2025, 5, 8))
    assert _ledger() == whole
    assert (first.inserted, again.inserted) == (len(whole), 0) == (14, 0)  # terry and betty
    assert EmailDelivery.objects.count() == 14
    assert list(ScanRun.objects.order_by("pk").values_list("rows_inserted", flat=True)) == [14, 0]


def test_a_rule_scanned_in_chunks_is_all_or_nothing(people, org, monkeypatch):
    """A failure in a later chunk undoes the earlier chunks' reminders and notifications:
    nothing of the rule is committed, and no scan is recorded."""
    from reminders import services

    calls: list[int] = []
    failing = [True]

    def failing_on_the_second_chunk(ids: list[int]) -> dict[int, list[int]]:
        calls.append(len(ids))
        if failing[0] and len(calls) == 2:
            raise RuntimeError("the second chunk fails")
        return {subject: [people["betty"].pk] for subject in ids}

    base = registry.get("CLA-11")
    rule = ReminderRule(
        code="TEST-CHUNKS",
        title="Test",
        group=Group.DEADLINES,
        open_items=base.open_items,
        due_field=base.due_field,
        thresholds=(Threshold.on_the_day(),),
        recipients=failing_on_the_second_chunk,
        wording="{reference} {when}",
        reference=lambda row: f"POC-{row['id']}",
    )
    for _ in range(3):
        period_due(ChildFactory(team=org["team"]), DUE)
    monkeypatch.setattr(services, "SCAN_CHUNK", 2)
    registry.register(rule)
    try:
        with pytest.raises(RuntimeError, match="second chunk"):
            rule_scan("TEST-CHUNKS", today=DUE)
        assert calls == [2, 1]
        assert not Reminder.objects.exists()
        assert not ScanRun.objects.exists()
        failing[0] = False
        assert rule_scan("TEST-CHUNKS", today=DUE).inserted == 3  # the first chunk's too
    finally:
        registry.unregister("TEST-CHUNKS")
