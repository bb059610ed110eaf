"""Destroying one child's records: the child, every row that hangs off it, and the history
of all of them.

"Hangs off" is found from the models themselves, not from a list kept by hand, so a model
another app adds later is covered the day it lands: a row belongs to the child when one of
its foreign keys points at a row that does (reviews, decisions, conferences, invitations,
audits and their answers, reminders and their emails...), when a reminder or a record of a
moved due date is about it (``LOOSE_LINKS``), or when it is a challenge about this child
alone. A challenge that
also covers other children is kept, without this child. Each destroyed row's history
(django-simple-history) goes too. The access log and the destruction log hold no foreign
key to a child and are append-only: they stay.

Only ``retention.services.destruction_approve`` calls this, inside its transaction.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from graphlib import TopologicalSorter

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Model, Q
from simple_history.models import HistoricalChanges

from children.models import Child
from reminders.models import Reminder
from timescales.models import DueDateChange
from timescales.registry import sources

Rows = dict[type[Model], set[int]]


def _is_history(model: type[Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def _record_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if not _is_history(model) and model._meta.managed and not model._meta.proxy
    ]


def _keys(model: type[Model]) -> Iterator[models.ForeignKey]:
    """The model's real foreign keys (history rows' copies have no database constraint)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.db_constraint:
            yield field


def _pks(queryset: models.QuerySet) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _pointing_at(model: type[Model], rows: Rows) -> set[int]:
    found: set[int] = set()
    for field in _keys(model):
        targets = rows.get(field.related_model)
        if targets:
            found |= _pks(model._base_manager.filter(**{f"{field.attname}__in": targets}))
    return found


def _about_only(model: type[Model], rows: Rows) -> set[int]:
    """Rows whose many-to-many links all point at rows being destroyed (a challenge about
    this child alone); a row also about others is kept and only loses its link."""
    found: set[int] = set()
    for field in model._meta.many_to_many:
        targets = rows.get(field.related_model)
        if not targets:
            continue
        through = field.remote_field.through._base_manager
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        linked = set(through.filter(**{f"{other}__in": targets}).values_list(own, flat=True))
        shared = through.filter(**{f"{own}__in": linked}).exclude(**{f"{other}__in": targets})
        found |= linked - set(shared.values_list(own, flat=True))
    return found


def _reminders_about(rows: Rows) -> set[int]:
    found: set[int] = set()
    for model, ids in rows.items():
        kind = ContentType.objects.get_for_model(model)
        found |= _pks(Reminder._base_manager.filter(subject_type=kind, subject_id__in=ids))
    return found


def _due_date_moves_about(rows: Rows) -> set[int]:
    subjects = [
        f"{source.model._meta.label_lower}:{pk}:{source.due_field}"
        for source in sources()
        for pk in rows.get(source.model, ())
    ]
    return _pks(DueDateChange._base_manager.filter(subject__in=subjects)) if subjects else set()


# Links held as a content type and id, or as a "label:id:field" string, not a foreign key.
LOOSE_LINKS: dict[type[Model], Callable[[Rows], set[int]]] = {
    Reminder: _reminders_about,
    DueDateChange: _due_date_moves_about,
}


def records_of(child_id: int) -> Rows:
    """Every row that belongs to the child, by model: grown from the child until no model
    gains a row."""
    rows: Rows = {Child: {child_id}}
    candidates = _record_models()
    grew = True
    while grew:
        grew = False
        for model in candidates:
            found = _pointing_at(model, rows) | _about_only(model, rows)
            if model in LOOSE_LINKS:
                found |= LOOSE_LINKS[model](rows)
            if found - rows.get(model, set()):
                rows.setdefault(model, set()).update(found)
                grew = True
    return rows


def _deletion_order(rows: Rows) -> list[type[Model]]:
    """Rows that point at others go first. Keys set to null on delete are left to Django
    (they make the one cycle: a challenge and its current stage)."""
    pointed_at_by: dict[type[Model], set[type[Model]]] = {model: set() for model in rows}
    for model in rows:
        for field in _keys(model):
            target = field.related_model
            nullable = field.remote_field.on_delete is models.SET_NULL
            if target in rows and target is not model and not nullable:
                pointed_at_by[target].add(model)
    return list(TopologicalSorter(pointed_at_by).static_order())


def _history_of(rows: Rows) -> Iterator[tuple[type[Model], Q]]:
    """For each history model: its rows for destroyed records, and any that point at one."""
    for history in apps.get_models():
        if not _is_history(history):
            continue
        condition = Q()
        base = getattr(history, "instance_type", None)
        if base in rows:
            condition |= Q(**{f"{base._meta.pk.attname}__in": rows[base]})
        for field in history._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if isinstance(field, models.ForeignKey) and target in rows:
                condition |= Q(**{f"{field.attname}__in": rows[target]})
        if condition:
            yield history, condition


def _delete_history(rows: Rows) -> Counter[str]:
    counts: Counter[str] = Counter()
    for history, condition in _history_of(rows):
        deleted, _ = history._base_manager.filter(condition).delete()
        if deleted:
            counts[history._meta.label] += deleted
    return counts


def child_records_destroy(child_id: int) -> dict[str, int]:
    """Delete the child's records and their history; return rows deleted by model label.

    Must run inside a transaction holding the child's row lock. Deleting a tracked row
    makes django-simple-history write a last ("-") history row, so history is deleted
    before (and counted) and again after (the rows just written)."""
    rows = records_of(child_id)
    counts = _delete_history(rows)
    for model in _deletion_order(rows):
        _, deleted = model._base_manager.filter(pk__in=rows[model]).delete()
        counts.update({label: n for label, n in deleted.items() if n})
    _delete_history(rows)
    return dict(sorted(counts.items()))
