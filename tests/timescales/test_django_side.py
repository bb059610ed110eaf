"""The Django side of the clock: stored due dates, the tables behind them, and the recompute
that moves open deadlines when a bank holiday or a local rule value changes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from challenges import services as challenge_services
from challenges.models import ChallengeReason
from children import services as child_services
from children.deadlines import child_deadlines
from children.models import Child, PeriodOfCare, S47Enquiry
from children.rules import EpisodeValues
from conferences.models import Conference
from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.forms import date_input_data
from iro_service.core.models import RecordSource
from reporting.imports.cin import import_cin
from reporting.imports.ssda903 import import_ssda903
from reviews.models import Review
from tests.factories import ChildFactory
from tests.reporting import cin_samples, ssda903_samples
from timescales import services
from timescales.models import DueDateChange, ExtraNonWorkingDay
from timescales.registry import sources
from timescales.rules import Unit, assess
from timescales.services import working_calendar

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def open_enquiry(child, by, strategy: date) -> S47Enquiry:
    return child_services.s47_record(
        child=child, start_date=strategy, strategy_discussion_date=strategy, by=by
    )


def test_stored_due_dates_come_from_the_clock(child, people):
    # CP-1: Mon 22 Dec 2025 + 15 WD = Thu 15 Jan 2026 (DOMAIN.md section 11, checked example).
    enquiry = open_enquiry(child, people["betty"], date(2025, 12, 22))
    assert enquiry.icpc_due == date(2026, 1, 15)
    # CLA-11: Thu 17 Apr 2025 + 5 WD: Good Friday 18th and Easter Monday 21st skipped ->
    # Tue 22 (1), Wed 23 (2), Thu 24 (3), Fri 25 (4), Mon 28 Apr (5).
    child_services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2025, 4, 17), rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    assert PeriodOfCare.objects.get(child=child).iro_allocation_due == date(2025, 4, 28)


def test_extra_bank_holiday_moves_exactly_the_spanning_open_deadlines_by_one_working_day(
    org, people
):
    betty = people["betty"]
    strategies = [date(2027, 5, 3) + timedelta(days=offset) for offset in range(0, 60, 3)]
    enquiries = [open_enquiry(ChildFactory(team=org["team"]), betty, day) for day in strategies]
    held = enquiries[0]
    held.icpc_date = date(2027, 5, 20)  # a met deadline is not open: it must not move
    held.save(update_fields=["icpc_date"])
    before = {e.pk: S47Enquiry.objects.get(pk=e.pk).icpc_due for e in enquiries}
    holiday = date(2027, 6, 4)  # a Friday, imagined one-off bank holiday

    _, moved = services.extra_non_working_day_add(
        day=holiday, description="One-off", by=people["mandy"]
    )

    calendar = working_calendar()
    expected_moves = 0
    for enquiry in enquiries:
        after = S47Enquiry.objects.get(pk=enquiry.pk).icpc_due
        spans = enquiry.icpc_clock_start < holiday <= before[enquiry.pk]
        if spans and enquiry.pk != held.pk:
            expected_moves += 1
            assert after == calendar.add_working_days(before[enquiry.pk], 1)
            assert calendar.working_days_between(before[enquiry.pk], after) == 1
        else:
            assert after == before[enquiry.pk]
    assert moved == expected_moves > 0
    assert DueDateChange.objects.count() == moved


def test_removing_the_extra_day_moves_them_back(child, people):
    enquiry = open_enquiry(child, people["betty"], date(2027, 6, 1))
    original = enquiry.icpc_due
    extra, moved = services.extra_non_working_day_add(
        day=date(2027, 6, 4), description="One-off", by=people["mandy"]
    )
    assert moved == 1
    assert services.extra_non_working_day_remove(extra=extra, by=people["mandy"]) == 1
    enquiry.refresh_from_db()
    assert enquiry.icpc_due == original


def test_recompute_for_one_child_moves_only_that_childs_deadlines(org, people):
    """A child's record changed (a birth recorded): only their open rows are worked out
    again, through the same recompute as a calendar change."""
    ours, theirs = ChildFactory(team=org["team"]), ChildFactory(team=org["team"])
    mine = open_enquiry(ours, people["betty"], date(2027, 6, 1))
    other = open_enquiry(theirs, people["betty"], date(2027, 6, 1))
    before = mine.icpc_due
    ExtraNonWorkingDay.objects.create(date=date(2027, 6, 4), description="One-off")

    moved = services.due_dates_recompute(cause="Birth", by=people["betty"], child_ids=[ours.pk])

    mine.refresh_from_db()
    other.refresh_from_db()
    assert moved == 1
    assert mine.icpc_due == working_calendar().add_working_days(before, 1)
    assert other.icpc_due == before
    assert DueDateChange.objects.get().subject == f"children.s47enquiry:{mine.pk}:icpc_due"


def test_recompute_for_several_children_moves_a_challenge_about_two_of_them_once(
    org, people, default_reasons_and_stages
):
    """An import recomputes the children whose dates of birth changed together: a row
    reached through a many-to-many (a challenge about siblings) moves once, with one
    ``DueDateChange``."""
    first, second = ChildFactory(team=org["team"]), ChildFactory(team=org["team"])
    challenge = challenge_services.challenge_raise(
        children=[first, second],
        reasons=ChallengeReason.objects.filter(code="drift-delay"),
        what_is_wrong="The permanence plan is late.",
        impact_on_child="Uncertainty.",
        what_must_happen="A plan at the next review.",
        by=people["alice"],
    )
    stage = challenge.stages.get()
    before = stage.response_due
    ExtraNonWorkingDay.objects.create(
        date=working_calendar().add_working_days(stage.raised_on, 1), description="One-off"
    )

    moved = services.due_dates_recompute(
        cause="Import", by=people["betty"], child_ids=[first.pk, second.pk]
    )

    stage.refresh_from_db()
    assert moved == 1
    assert stage.response_due == working_calendar().add_working_days(before, 1)
    change = DueDateChange.objects.get()
    assert change.subject == f"challenges.challengestage:{stage.pk}:response_due"


def test_recompute_for_no_children_reads_nothing(people):
    with CaptureQueriesContext(connection) as queries:
        assert services.due_dates_recompute(cause="Import", by=people["betty"], child_ids=[]) == 0

    # Only the savepoint of its transaction.atomic: no table is read.
    assert all("SAVEPOINT" in query["sql"] for query in queries.captured_queries)


def test_a_new_non_working_day_after_imports_gives_imported_records_no_due_dates(people):
    """Imported held conferences (CIN census) and reviews (SSDA903) carry no record, so no
    outcome, minutes, decisions or record due date: a recompute has none of theirs to move
    (it used to try, and fail on the change log's missing old due date)."""
    import_cin(cin_samples.files(cin_samples.census()))
    import_ssda903(ssda903_samples.files(), year=ssda903_samples.YEAR, by=None)

    services.extra_non_working_day_add(
        day=date(2024, 5, 2), description="One-off", by=people["mandy"]
    )

    assert Conference.objects.filter(source=RecordSource.IMPORTED).count() == 3
    assert not Conference.objects.filter(outcome_due__isnull=False).exists()
    assert not Conference.objects.filter(minutes_due__isnull=False).exists()
    held = Review.objects.filter(source=RecordSource.IMPORTED)
    assert held.count() == 4
    assert not held.filter(Q(decisions_due__isnull=False) | Q(record_due__isnull=False)).exists()


def test_every_stored_due_date_names_the_way_to_its_child():
    """``DueDateSource.child_field`` must be a lookup to the child on every source, or the
    recompute of one child's deadlines would fail."""
    for source in sources():
        field = source.child_field.split("__")[-1]
        model = source.model
        for step in source.child_field.split("__")[:-1]:
            model = model._meta.get_field(step).related_model
        assert model._meta.get_field(field).related_model is Child, source.label


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2027, 6, 5), "weekend"),
        (date(2027, 12, 27), "already a bank holiday"),  # Christmas Day substitute
    ],
)
def test_extra_day_that_is_already_non_working_is_refused(people, day, message):
    with pytest.raises(RuleViolation, match=message):
        services.extra_non_working_day_add(day=day, description="x", by=people["mandy"])


def test_only_the_service_manager_changes_the_calendar(people):
    with pytest.raises(NotPermitted):
        services.extra_non_working_day_add(
            day=date(2027, 6, 4), description="x", by=people["alice"]
        )


def test_local_rule_value_applies_from_its_effective_date_only(org, people):
    # CLA-11 is local: change 5 WD to 3 WD from Mon 1 Mar 2027.
    betty = people["betty"]
    early, late = ChildFactory(team=org["team"]), ChildFactory(team=org["team"])
    for child, start in [(early, date(2027, 2, 26)), (late, date(2027, 3, 1))]:
        child_services.episode_add(
            child=child,
            by=betty,
            episode=EpisodeValues(
                decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
            ),
        )
    _, moved = services.local_rule_value_set(
        rule_id="CLA-11",
        amount=3,
        effective_from=date(2027, 3, 1),
        reason="Local standard",
        by=people["mandy"],
    )
    assert moved == 1
    # Fri 26 Feb 2027 + 5 WD = Fri 5 Mar (old rule kept); Mon 1 Mar + 3 WD = Thu 4 Mar.
    assert PeriodOfCare.objects.get(child=early).iro_allocation_due == date(2027, 3, 5)
    assert PeriodOfCare.objects.get(child=late).iro_allocation_due == date(2027, 3, 4)
    assert services.due_date_for("CLA-11", date(2027, 2, 26)) == date(2027, 3, 5)


def test_statutory_rules_cannot_be_changed(people):
    with pytest.raises(RuleViolation, match="Only local rules"):
        services.local_rule_value_set(
            rule_id="CLA-1",
            amount=10,
            effective_from=date(2027, 1, 1),
            reason="x",
            by=people["mandy"],
        )


def hours_around(moment: datetime) -> list[datetime]:
    return [moment + timedelta(hours=offset) for offset in range(-30, 31)]


CLOCK_CHANGES = [
    datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 10, 25, 1, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2027, 3, 28, 1, 0, tzinfo=ZoneInfo("UTC")),
    datetime(2027, 10, 31, 1, 0, tzinfo=ZoneInfo("UTC")),
]


@pytest.mark.parametrize("change", CLOCK_CHANGES, ids=lambda d: d.strftime("%Y-%m"))
def test_due_today_and_overdue_use_the_london_date_around_clock_changes(child, people, change):
    """A deadline due on the London date of the change is due that whole London day and
    overdue from London midnight, whatever the UTC time (T15)."""
    for moment in hours_around(change):
        london_day = moment.astimezone(LONDON).date()
        due = change.astimezone(LONDON).date()
        with time_machine.travel(moment, tick=False):
            today = timezone.localdate()
            assert today == london_day
            calendar = working_calendar()
            verdict = assess(
                due=due, done=None, today=today, unit=Unit.WORKING_DAYS, calendar=calendar
            )
            expected = "overdue" if london_day > due else "due_soon"
            assert verdict.status == expected, moment


def test_child_deadlines_list_and_api(child, people):
    enquiry = open_enquiry(child, people["betty"], date(2026, 11, 2))
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=LONDON), tick=False):
        rows = child_deadlines(child=child, today=date(2026, 11, 27))
        client = APIClient()
        client.force_authenticate(people["alice"])
        body = client.get(reverse("child-deadlines", args=[child.pk])).json()
    (row,) = rows
    # Mon 2 Nov 2026 + 15 WD = Mon 23 Nov 2026; on Fri 27 Nov it is 4 WD overdue.
    assert (row.rule.id, row.due, row.status, row.days_late) == (
        "CP-1",
        date(2026, 11, 23),
        "overdue",
        4,
    )
    assert body == [
        {
            "rule": "CP-1",
            "title": row.rule.title,
            "source": row.rule.source,
            "status_tag": row.rule.status,
            "start_event": row.start_event,
            "start": "2026-11-02",
            "due": "2026-11-23",
            "done": None,
            "status": "overdue",
            "days_late": 4,
        }
    ]
    assert enquiry.icpc_due == date(2026, 11, 23)


def test_child_deadlines_api_is_404_for_an_invisible_child(child, people):
    client = APIClient()
    client.force_authenticate(people["charlie"])
    assert client.get(reverse("child-deadlines", args=[child.pk])).status_code == 404


def test_plan_shows_its_met_icpc_and_next_duration_milestone(child, people):
    open_enquiry(child, people["betty"], date(2026, 1, 5))
    child_services.cp_plan_start(
        child=child, start_date=date(2026, 1, 23), categories=["NEG"], by=people["betty"]
    )
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2026, 11, 27))}
    # Mon 5 Jan 2026 + 15 WD = Mon 26 Jan; the ICPC on Fri 23 Jan met it.
    assert (rows["CP-1"].due, rows["CP-1"].status) == (date(2026, 1, 26), "met")
    assert rows["CP-14-15M"].due == date(2027, 4, 23)


def test_rules_page_for_managers_and_iros_only(people):
    client = Client()
    client.force_login(people["sarah"])
    assert client.get(reverse("timescales:rules")).status_code == 403
    client.force_login(people["alice"])
    page = client.get(reverse("timescales:rules"))
    assert page.status_code == 200
    assert "CPPCR 2010 reg 33(1)" in page.text
    # E-1-FROM-AGE and E-1-END-AGE are ages: counted in years from the date of birth.
    assert "3 years of age" in page.text and "18 years of age" in page.text
    assert "Change a local rule" not in page.text
    assert (
        client.post(
            reverse("timescales:extra-day-add"),
            {**date_input_data("day", date(2027, 6, 4)), "description": "x"},
        ).status_code
        == 403
    )


def test_manager_changes_a_local_rule_from_the_page(people):
    client = Client()
    client.force_login(people["mandy"])
    refused = client.post(
        reverse("timescales:local-value-add"),
        {
            "rule_id": "CLA-13",
            "amount": "",
            **date_input_data("effective_from", date(2027, 4, 1)),
            "reason": "x",
        },
    )
    assert "Enter the new amount" in refused.text
    response = client.post(
        reverse("timescales:local-value-add"),
        {
            "rule_id": "CLA-13",
            "amount": "3",
            **date_input_data("effective_from", date(2027, 4, 1)),
            "reason": "Faster decisions",
        },
        follow=True,
    )
    assert "Rule changed. 0 open deadlines moved." in response.text
    assert "set by Mandy" in response.text


def test_cp_visits_every_10_working_days_once_visits_are_recorded(child, people):
    betty, sarah = people["betty"], people["sarah"]
    child_services.cp_plan_start(
        child=child, start_date=date(2026, 11, 2), categories=["NEG"], by=betty
    )
    assert "CP-11" not in {
        row.rule.id for row in child_deadlines(child=child, today=date(2026, 11, 27))
    }
    with time_machine.travel(datetime(2026, 11, 27, 12, tzinfo=LONDON), tick=False):
        child_services.visit_record(
            child=child, kind="protection", visit_date=date(2026, 11, 5), by=sarah
        )
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2026, 11, 27))}
    # Thu 5 Nov 2026 + 10 WD = Thu 19 Nov; on Fri 27 Nov that is 6 WD overdue.
    assert (rows["CP-11"].due, rows["CP-11"].status, rows["CP-11"].days_late) == (
        date(2026, 11, 19),
        "overdue",
        6,
    )


@pytest.mark.parametrize(
    ("place", "ls", "visits", "rule", "due"),
    [
        # V-1: within a week of the placement starting on Mon 2 Nov 2026.
        ("U6", "C2", [date(2026, 10, 1)], "V-1", date(2026, 11, 9)),
        # V-2: every 6 weeks in the first year, from the latest visit (Tue 10 Nov).
        ("U6", "C2", [date(2026, 11, 10)], "V-2", date(2026, 12, 22)),
        # V-6: placed with parents under a care order: weekly first, then 6 weeks.
        ("P1", "C2", [date(2026, 11, 10)], "V-6-LATER", date(2026, 12, 22)),
        # V-5: interim care order at home: weekly until the first review.
        ("P1", "C1", [date(2026, 11, 10)], "V-5", date(2026, 11, 17)),
    ],
)
def test_care_visits_follow_the_placement_regime(child, people, place, ls, visits, rule, due):
    provider = "PR0" if place == "P1" else "PR1"
    child_services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2026, 11, 2), rne="S", ls=ls, cin="N1", place=place, place_provider=provider
        ),
    )
    for day in visits:
        child_services.visit_record(child=child, kind="care", visit_date=day, by=people["sarah"])
    rows = {row.rule.id: row for row in child_deadlines(child=child, today=date(2026, 11, 27))}
    assert rows[rule].due == due


def test_visit_in_the_future_is_refused(child, people):
    with pytest.raises(RuleViolation, match="before it happens"):
        child_services.visit_record(
            child=child, kind="care", visit_date=date(2099, 1, 1), by=people["sarah"]
        )
