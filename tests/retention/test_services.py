"""Retention services: the stored end follows the child's record, legal holds, and the
two-person destruction rule."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from children import services as child_services
from children.models import Child
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from reminders.models import Reminder
from reminders.services import preferences_set
from retention import services
from retention.models import ChildRetention, DestructionLogEntry, DestructionRequest, LegalHold
from retention.schedule import Basis, Category
from retention.selectors import records_past_retention
from tests.factories import ChildFactory
from tests.reminders.helpers import scan_checked
from tests.retention.conftest import MARKERS, care_episode

pytestmark = pytest.mark.django_db


def stored(child: Child) -> ChildRetention:
    return ChildRetention.objects.get(child=child)


def past_today() -> list[int]:
    today = timezone.localdate()
    return list(records_past_retention(today=today).values_list("child_id", flat=True))


# --- The stored end follows the record ------------------------------------------------------


def test_leaving_care_stores_the_75th_birthday(old_child):
    assert (stored(old_child).ends_on, stored(old_child).basis) == (
        date(2015, 3, 1),
        Basis.LOOKED_AFTER,
    )
    assert past_today() == [old_child.pk]


def test_an_adoption_order_keeps_the_record_100_years(people):
    child = ChildFactory(date_of_birth=date(2000, 1, 1))
    care_episode(child, people["betty"], date(2001, 1, 1), date(2003, 5, 1), "E11")
    assert (stored(child).ends_on, stored(child).basis) == (date(2103, 5, 1), Basis.ADOPTED)


def test_recording_a_death_in_childhood_starts_the_15_years(people):
    child = ChildFactory(date_of_birth=date(1990, 1, 1))
    care_episode(child, people["betty"], date(1995, 1, 1), date(1998, 1, 1), "E4A")
    assert stored(child).ends_on == date(2065, 1, 1)
    child_services.child_update(child=child, by=people["betty"], date_of_death=date(1999, 6, 1))
    assert stored(child).ends_on == date(2014, 6, 1)
    assert child.history.first().date_of_death == date(1999, 6, 1)


def test_a_death_recorded_in_care_counts_as_the_date_of_death(people):
    child = ChildFactory(date_of_birth=date(1990, 1, 1))
    care_episode(child, people["betty"], date(1995, 1, 1), date(1999, 6, 1), "E2")
    assert stored(child).ends_on == date(2014, 6, 1)


def test_a_date_of_death_in_the_future_or_before_birth_is_refused(people):
    child = ChildFactory(date_of_birth=date(2010, 1, 1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(RuleViolation, match="cannot be in the future"):
        child_services.child_update(child=child, by=people["betty"], date_of_death=tomorrow)
    with pytest.raises(RuleViolation, match="on or after the date of birth"):
        child_services.child_update(child=child, by=people["betty"], date_of_death=date(2009, 1, 1))


def test_a_child_protection_record_is_in_use_until_the_plan_ends(people):
    child = ChildFactory(date_of_birth=date(1990, 1, 1))
    plan = child_services.cp_plan_start(
        child=child, start_date=date(2005, 1, 1), categories=["NEG"], by=people["betty"]
    )
    assert (stored(child).ends_on, stored(child).basis) == (None, Basis.IN_USE)
    child_services.cp_plan_end(
        plan=plan, end_date=date(2007, 1, 1), reason="no_longer_at_risk", by=people["betty"]
    )
    # The later of the 25th birthday (2015) and 6 years after the plan ended (2013).
    assert (stored(child).ends_on, stored(child).basis) == (
        date(2015, 1, 1),
        Basis.NEVER_LOOKED_AFTER,
    )


def test_the_nightly_recompute_covers_rows_written_outside_the_services(people, old_child):
    untouched = ChildFactory(date_of_birth=date(1950, 1, 1))
    assert not ChildRetention.objects.filter(child=untouched).exists()
    assert services.retention_recompute() == Child.objects.count()
    assert stored(untouched).basis == Basis.NEVER_LOOKED_AFTER
    assert stored(old_child).ends_on == date(2015, 3, 1)


def test_the_system_administrator_changes_the_schedule_and_every_end_moves(ig, old_child):
    services.retention_rule_update(
        category=Category.LOOKED_AFTER,
        until_birthday=100,
        years_after_closing=None,
        years_after_death=15,
        by=ig["sam"],
    )
    assert stored(old_child).ends_on == date(2040, 3, 1)
    assert past_today() == []


def test_only_the_system_administrator_changes_the_schedule(ig):
    with pytest.raises(NotPermitted):
        services.retention_rule_update(
            category=Category.ADOPTED,
            until_birthday=None,
            years_after_closing=50,
            years_after_death=None,
            by=ig["ivy"],
        )


def test_a_rule_must_give_an_end(ig):
    with pytest.raises(RuleViolation, match="Enter a birthday"):
        services.retention_rule_update(
            category=Category.ADOPTED,
            until_birthday=None,
            years_after_closing=None,
            years_after_death=None,
            by=ig["sam"],
        )


# --- Legal holds ----------------------------------------------------------------------------


def test_a_held_record_is_never_due_and_cannot_be_requested(ig, old_child):
    hold = services.legal_hold_place(child=old_child, reason="Litigation", by=ig["ivy"])
    assert (stored(old_child).ends_on, stored(old_child).basis) == (None, Basis.LEGAL_HOLD)
    assert past_today() == []
    with pytest.raises(RuleViolation, match="legal hold"):
        services.destruction_request(child=old_child, reason="Past retention", by=ig["ivy"])
    services.legal_hold_lift(hold=hold, reason="Case settled", by=ig["igor"])
    assert past_today() == [old_child.pk]


def test_the_report_leaves_out_a_held_record_even_if_its_stored_end_is_stale(ig, old_child):
    LegalHold.objects.create(child=old_child, reason="Inquiry", placed_by=ig["ivy"])
    assert stored(old_child).ends_on == date(2015, 3, 1)  # written around the service
    assert past_today() == []


def test_one_hold_at_a_time_and_only_the_ig_officer_keeps_them(ig, people, old_child):
    services.legal_hold_place(child=old_child, reason="Inquiry", by=ig["ivy"])
    with pytest.raises(RuleViolation, match="already has a legal hold"):
        services.legal_hold_place(child=old_child, reason="Again", by=ig["igor"])
    with pytest.raises(NotPermitted):
        services.legal_hold_place(child=old_child, reason="Inquiry", by=people["mandy"])
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalHold.objects.create(child=old_child, reason="Twice", placed_by=ig["ivy"])


# --- Two-person destruction ------------------------------------------------------------------


def test_the_two_person_destruction_rule(ig, old_child):
    request = services.destruction_request(child=old_child, reason="Past retention", by=ig["ivy"])
    with pytest.raises(NotPermitted, match="a different person must decide"):
        services.destruction_approve(request=request, by=ig["ivy"])
    with pytest.raises(NotPermitted):
        services.destruction_reject(request=request, comment="Keep", by=ig["ivy"])
    assert Child.objects.filter(pk=old_child.pk).exists()

    entry = services.destruction_approve(request=request, by=ig["igor"])

    assert not Child.objects.filter(pk=old_child.pk).exists()
    assert (entry.requested_by, entry.approved_by) == (ig["ivy"], ig["igor"])
    assert entry.child_pk == old_child.pk and entry.basis == Basis.LOOKED_AFTER
    assert entry.rows_deleted["children.Child"] == 1
    assert entry.rows_deleted["children.HistoricalChild"] >= 1
    assert entry.rows_deleted["retention.DestructionRequest"] == 1


def test_the_database_refuses_a_self_approved_destruction(ig, old_child):
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionLogEntry.objects.create(
            reference="x",
            child_pk=old_child.pk,
            basis=Basis.LOOKED_AFTER,
            request_pk=1,
            requested_by=ig["ivy"],
            requested_at=timezone.now(),
            approved_by=ig["ivy"],
        )


def test_only_the_ig_officer_asks_and_decides(ig, people, old_child):
    with pytest.raises(NotPermitted):
        services.destruction_request(child=old_child, reason="Old", by=ig["sam"])
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    for outsider in (ig["sam"], people["mandy"]):
        with pytest.raises(NotPermitted):
            services.destruction_approve(request=request, by=outsider)


def test_a_record_not_past_retention_cannot_be_requested(ig, child):
    services.retention_recompute(child_ids=[child.pk])
    with pytest.raises(RuleViolation, match="not past its retention date"):
        services.destruction_request(child=child, reason="Tidy up", by=ig["ivy"])


def test_one_request_at_a_time(ig, old_child):
    services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    with pytest.raises(RuleViolation, match="already waiting"):
        services.destruction_request(child=old_child, reason="Old", by=ig["igor"])


def test_a_rejected_request_keeps_the_record(ig, old_child):
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    with pytest.raises(RuleViolation, match="Say why"):
        services.destruction_reject(request=request, comment=" ", by=ig["igor"])
    services.destruction_reject(request=request, comment="Subject access request", by=ig["igor"])
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.REJECTED
    with pytest.raises(InvalidTransition):
        services.destruction_approve(request=request, by=ig["igor"])
    assert Child.objects.filter(pk=old_child.pk).exists()


def test_approval_rechecks_a_hold_placed_after_the_request(ig, old_child):
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    services.legal_hold_place(child=old_child, reason="Inquiry", by=ig["ivy"])
    with pytest.raises(RuleViolation, match="legal hold"):
        services.destruction_approve(request=request, by=ig["igor"])
    assert Child.objects.filter(pk=old_child.pk).exists()


def test_approval_recomputes_retention_from_the_record_not_the_stored_end(ig, people, old_child):
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    # The child comes back into care through a route that does not recompute (an import).
    old_child.periods_of_care.update(end_date=None)
    assert stored(old_child).ends_on == date(2015, 3, 1)
    with pytest.raises(RuleViolation, match="not past its retention date"):
        services.destruction_approve(request=request, by=ig["igor"])


def test_the_destruction_log_is_append_only(ig, old_child):
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    entry = services.destruction_approve(request=request, by=ig["igor"])
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        DestructionLogEntry.objects.filter(pk=entry.pk).update(basis="adopted")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        DestructionLogEntry.objects.filter(pk=entry.pk).delete()


def test_the_destruction_log_is_found_by_the_local_authority_id_it_does_not_hold(ig, old_child):
    la_child_id = old_child.la_child_id
    request = services.destruction_request(child=old_child, reason="Old", by=ig["ivy"])
    entry = services.destruction_approve(request=request, by=ig["igor"])
    assert la_child_id not in entry.reference
    assert entry.reference == services.child_reference(la_child_id.lower())
    assert entry.reference != services.child_reference("SOMEONE1")


# --- The approval reminder ------------------------------------------------------------------


def test_the_other_ig_officers_are_asked_to_approve_by_reference_only(ig, old_child):
    preferences_set(user=ig["igor"], modes={"management": "immediate"}, by=ig["igor"])
    request = services.destruction_request(child=old_child, reason=MARKERS[0], by=ig["ivy"])
    inserted = scan_checked("RET-APPROVE", timezone.localdate(), secrets=list(MARKERS))
    assert inserted == 1
    reminder = Reminder.objects.get(rule="RET-APPROVE")
    assert reminder.recipient == ig["igor"]  # never ivy, who asked
    assert reminder.reference == f"DES-{request.pk}"
    assert reminder.child is None
