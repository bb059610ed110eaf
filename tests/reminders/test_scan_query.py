"""A rule whose recipients are columns of its rows leaves out, in its own query, the subjects
every recipient has been reminded of (issue 11). These tests hold that shortcut to what the
scan decides in Python: the same latest threshold for every due date, a new recipient still
reminded, and a repeat scan that reads nothing back."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from children.models import PeriodOfCare
from reminders import registry, services
from reminders.models import Reminder
from reminders.registry import ReminderRule, Threshold
from reminders.services import LABEL_WINDOW_DAYS, rule_scan
from tests.factories import ChildFactory
from tests.reminders.test_health_education import looked_after

pytestmark = pytest.mark.django_db

EVERY_KIND = ReminderRule(
    code="TEST-LABELS",
    title="Every kind of threshold",
    group=registry.Group.DEADLINES,
    open_items=lambda: PeriodOfCare.objects.all(),
    due_field="iro_allocation_due",
    thresholds=(
        Threshold.before(15),
        Threshold.before(5),
        Threshold.on_the_day(),
        Threshold.after(1),
        Threshold.after(2),
        Threshold.weekly_while_overdue(),
    ),
    wording="{reference}",
    reference=lambda row: f"P{row['id']}",
    recipient_fields=("child__iro_id",),
)


@pytest.mark.parametrize(
    "today",
    [
        date(2025, 12, 24),  # Christmas and Boxing Day ahead
        date(2025, 12, 29),  # just after them
        date(2026, 4, 7),  # the Tuesday after Easter Monday
        date(2026, 5, 26),  # the Tuesday after the Spring bank holiday
        date(2026, 11, 28),  # a Saturday
    ],
)
def test_the_query_knows_each_due_dates_latest_threshold_as_python_does(today):
    """For every due date from before the window to beyond the horizon: the label the query
    works out is the one ``latest_threshold`` gives, or NULL outside the window and where no
    threshold has been reached."""
    child = ChildFactory()
    horizon = max(threshold.horizon(today) for threshold in EVERY_KIND.thresholds)
    start = today - timedelta(days=LABEL_WINDOW_DAYS)
    dues = [start - timedelta(days=days) for days in (1, 400)]
    dues += [start + timedelta(days=days) for days in range(0, 20)]
    dues += [today + timedelta(days=days) for days in range(-120, (horizon - today).days + 3)]
    PeriodOfCare.objects.bulk_create(  # closed periods, one a day: only their due dates matter
        PeriodOfCare(
            child=child,
            start_date=date(2000, 1, 1) + timedelta(days=number),
            end_date=date(2000, 1, 1) + timedelta(days=number),
            iro_allocation_due=due,
        )
        for number, due in enumerate(dues)
    )
    calendar = services.working_calendar()
    latest = services._latest_threshold(EVERY_KIND, today, lambda: calendar)
    labels = dict(
        PeriodOfCare.objects.annotate(
            label=services._threshold_label(EVERY_KIND, latest, today, horizon)
        ).values_list("iro_allocation_due", "label")
    )
    expected = {due: None if due < start or latest(due) is None else latest(due)[1] for due in dues}
    assert labels == expected
    assert {"-15wd", "-5wd", "0", "+1wd", "+2wd"} <= set(labels.values())
    assert any(label and label.startswith("week") for label in labels.values())


def test_a_repeat_scan_reads_no_subject_back(child, people, monkeypatch):
    """Every subject has its reminders, so the query gives nothing and the ledger is not read
    again in Python."""
    looked_after(child, people)
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 1)).inserted == 2
    read = []
    monkeypatch.setattr(services, "_in_ledger", lambda *args: read.append(args) or set())
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 1)).inserted == 0
    assert read == []


def test_a_new_recipient_is_reminded_at_the_threshold_the_others_have(child, people):
    """The child's IRO changes between two scans on the same day: the new IRO gets the
    reminder the old one had, and nobody gets a second."""
    period = looked_after(child, people)
    rule_scan("HEALTH-DUE", today=date(2025, 7, 1))
    child.iro = people["bob"]
    child.save(update_fields=["iro"])
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 1)).inserted == 1
    subject_type = ContentType.objects.get_for_model(PeriodOfCare)
    assert set(
        Reminder.objects.filter(subject_type=subject_type, subject_id=period.pk).values_list(
            "recipient_id", "threshold"
        )
    ) == {(people[name].pk, "+1wd") for name in ("alice", "sarah", "bob")}


def test_a_subject_reminded_at_an_earlier_threshold_is_reminded_again(child, people):
    """The ledger holds the last week's reminder: the query does not take it for this
    week's."""
    looked_after(child, people)
    rule_scan("HEALTH-DUE", today=date(2025, 7, 1))
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 8)).inserted == 2
    assert set(Reminder.objects.values_list("threshold", flat=True)) == {"+1wd", "week1"}


def test_a_subject_older_than_the_window_is_still_reminded_once(child, people, monkeypatch):
    """Outside the window the query leaves the subject in and the ledger check in Python
    decides: one reminder a threshold, whichever way it is found."""
    monkeypatch.setattr(services, "LABEL_WINDOW_DAYS", 3)
    looked_after(child, people)
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 15)).inserted == 2
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 15)).inserted == 0
    assert Reminder.objects.count() == 2
