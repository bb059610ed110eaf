"""Writes for records retention: the schedule, each child's stored end, legal holds, and
destruction by two people (one asks, a different one approves).

Every service that changes an input of the schedule recomputes the stored end in the same
transaction, and so do the national return imports for the children whose date of birth
they set or change; the nightly task recomputes every child, for the other rows written in
bulk (the children the imports create, and their care and plans). Destruction never trusts the
stored end: approval recomputes it from the child's rows under the child's row lock.
"""

from collections.abc import Collection, Iterable, Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from children.models import Child
from iro_service.core.errors import InvalidTransition, NotPermitted, RuleViolation
from iro_service.core.policy import Action, may
from people.models import User
from retention import destruction
from retention.models import (
    ChildRetention,
    DestructionLogEntry,
    DestructionRequest,
    LegalHold,
    RetentionRule,
)
from retention.schedule import Basis, Category, RetentionEnd, is_past, retention_end
from retention.selectors import child_facts, rules_in_force

BATCH = 2000


def _full_clean(instance: RetentionRule | LegalHold | DestructionRequest) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleViolation(messages[0], field=None if field == "__all__" else field) from error


def _ids(children: Iterable[int] | None) -> Iterator[list[int]]:
    ids = Child.objects.order_by("pk").values_list("pk", flat=True)
    each = iter(ids.iterator() if children is None else sorted(children))
    while batch := list(islice(each, BATCH)):
        yield batch


def retention_recompute(*, child_ids: Iterable[int] | None = None) -> int:
    """Store the schedule's end for the named children (every child if None), set-based:
    two queries per 2,000 children. Returns the number of children computed."""
    rules = rules_in_force()
    now = timezone.now()
    done = 0
    for batch in _ids(child_ids):
        facts = child_facts(Child.objects.filter(pk__in=batch))
        rows = [
            ChildRetention(child_id=pk, computed_at=now, **_stored(retention_end(each, rules)))
            for pk, each in facts.items()
        ]
        ChildRetention.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["child"],
            update_fields=["ends_on", "basis", "computed_at"],
        )
        done += len(rows)
    return done


def _stored(end: RetentionEnd) -> dict[str, object]:
    return {"ends_on": end.ends_on, "basis": end.basis.value}


def retention_follow(child_ids: Collection[int]) -> None:
    """The children app's record-change hook: these children's dates, care or plans changed
    (one child from a service, many from an import)."""
    retention_recompute(child_ids=child_ids)


def retention_now(child: Child) -> RetentionEnd:
    """The child's end computed afresh from its rows (not the stored column)."""
    facts = child_facts(Child.objects.filter(pk=child.pk))[child.pk]
    return retention_end(facts, rules_in_force())


@transaction.atomic
def retention_rule_update(
    *,
    category: Category,
    until_birthday: int | None,
    years_after_closing: int | None,
    years_after_death: int | None,
    by: User,
) -> RetentionRule:
    """Change one rule of the schedule and recompute every child's end with it."""
    if not may(by.roles, Action.RETENTION_RULES_KEEP):
        raise NotPermitted("Only the system administrator can change the retention schedule.")
    rule = RetentionRule.objects.select_for_update().filter(category=category).first()
    rule = rule or RetentionRule(category=category)
    rule.until_birthday = until_birthday
    rule.years_after_closing = years_after_closing
    rule.years_after_death = years_after_death
    rule.changed_by = by
    _full_clean(rule)
    rule.save()
    retention_recompute()
    return rule


def _lock_child(pk: int) -> Child:
    return Child.objects.select_for_update(of=("self",)).only("pk", "la_child_id").get(pk=pk)


@transaction.atomic
def legal_hold_place(*, child: Child, reason: str, by: User) -> LegalHold:
    """Place a legal hold: from now the record is never due and cannot be destroyed.

    Takes the child's row lock, as approval does, so a hold and an approval never cross."""
    if not may(by.roles, Action.LEGAL_HOLD_KEEP):
        raise NotPermitted("Only the information governance officer can place a legal hold.")
    child = _lock_child(child.pk)
    if LegalHold.objects.filter(child=child, lifted_at__isnull=True).exists():
        raise RuleViolation("This record already has a legal hold in place.")
    hold = LegalHold(child=child, reason=reason.strip(), placed_by=by)
    _full_clean(hold)
    hold.save()
    retention_recompute(child_ids=[child.pk])
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, reason: str, by: User) -> LegalHold:
    """Lift a hold; the schedule applies again from now."""
    if not may(by.roles, Action.LEGAL_HOLD_KEEP):
        raise NotPermitted("Only the information governance officer can lift a legal hold.")
    _lock_child(hold.child_id)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not hold.in_place:
        raise InvalidTransition("This legal hold has already been lifted.")
    if not reason.strip():
        raise RuleViolation("Say why the legal hold is being lifted.", field="reason")
    hold.lifted_by, hold.lifted_at, hold.lift_reason = by, timezone.now(), reason.strip()
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    retention_recompute(child_ids=[hold.child_id])
    return hold


def _check_destroyable(child: Child) -> RetentionEnd:
    """Refuse unless, computed now from the child's rows, retention has ended."""
    end = retention_now(child)
    if end.basis is Basis.LEGAL_HOLD:
        raise RuleViolation("This record has a legal hold in place: it cannot be destroyed.")
    if not is_past(end, timezone.localdate()):
        raise RuleViolation("This record is not past its retention date: it must be kept.")
    return end


@transaction.atomic
def destruction_request(*, child: Child, reason: str, by: User) -> DestructionRequest:
    """Ask for a record past retention to be destroyed; someone else must approve."""
    if not may(by.roles, Action.DESTRUCTION_REQUEST):
        raise NotPermitted("Only the information governance officer can ask for destruction.")
    child = _lock_child(child.pk)
    _check_destroyable(child)
    if DestructionRequest.objects.filter(
        child=child, status=DestructionRequest.Status.PENDING
    ).exists():
        raise RuleViolation("A request to destroy this record is already waiting for approval.")
    request = DestructionRequest(
        child=child, reason=reason.strip(), requested_by=by, requested_on=timezone.localdate()
    )
    _full_clean(request)
    request.save()
    return request


def _lock_waiting(request: DestructionRequest) -> DestructionRequest:
    locked = DestructionRequest.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None or locked.status != DestructionRequest.Status.PENDING:
        raise InvalidTransition("This request has already been decided.")
    return locked


def _check_decider(request: DestructionRequest, by: User) -> None:
    if not may(by.roles, Action.DESTRUCTION_DECIDE):
        raise NotPermitted("Only the information governance officer can decide on destruction.")
    if request.requested_by_id == by.pk:
        raise NotPermitted("You asked for this destruction: a different person must decide.")


@transaction.atomic
def destruction_reject(
    *, request: DestructionRequest, comment: str, by: User
) -> DestructionRequest:
    """A second person rejects the request; the record is kept."""
    request = _lock_waiting(request)
    _check_decider(request, by)
    if not comment.strip():
        raise RuleViolation("Say why the record should be kept.", field="comment")
    request.status = DestructionRequest.Status.REJECTED
    request.decided_by, request.decided_at = by, timezone.now()
    request.decision_comment = comment.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return request


def child_reference(la_child_id: str) -> str:
    """The opaque reference the destruction log keeps: a keyed hash of the local authority
    child ID (keyed by SECRET_KEY), so it can be matched by someone who knows the ID."""
    return salted_hmac("retention.destruction", la_child_id.upper(), algorithm="sha256").hexdigest()


@transaction.atomic
def destruction_approve(*, request: DestructionRequest, by: User) -> DestructionLogEntry:
    """A second person approves: the child's records and their history are deleted, and
    a log entry with no case details remains.

    Locks the request, then the child; re-checks, computed from the rows, that the record
    is still past retention with no legal hold. Two approvals at once: the second waits
    for the first's commit, finds the request gone and is refused.
    """
    request = _lock_waiting(request)
    _check_decider(request, by)
    child = _lock_child(request.child_id)
    end = _check_destroyable(child)
    entry = DestructionLogEntry(
        reference=child_reference(child.la_child_id),
        child_pk=child.pk,
        basis=end.basis.value,
        request_pk=request.pk,
        requested_by_id=request.requested_by_id,
        requested_at=request.requested_at,
        approved_by=by,
    )
    entry.rows_deleted = destruction.child_records_destroy(child.pk)
    entry.save()
    return entry
