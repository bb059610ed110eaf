"""Short related lists read inside one query as JSON arrays, and made model instances again.

A page that shows many short lists about one record (the child page: periods of care,
episodes, enquiries, plans, visits, allocations, the timeline) reads them in one round trip
instead of one query each. ``json_rows`` is the column; ``rows_to_instances`` turns its value
back into model instances, each value converted by its model field (dates arrive as text).
"""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model, QuerySet
from django.db.models.functions import JSONObject
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


class ArrayOf(ArraySubquery):
    """A one-column subquery's values as a list: PostgreSQL's ``ARRAY(subquery)``, and on
    SQLite (``make run`` with no configuration) ``json_group_array`` over the subquery,
    read back into the same list. The subquery's order is kept on both."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column = connection.ops.quote_name(
            [*self.query.annotation_select, *self.query.values_select][0]
        )
        # The column's name comes from the queryset's own values(), quoted.
        template = f"(SELECT json_group_array({column}) FROM (%(subquery)s))"  # noqa: S608
        return super().as_sql(compiler, connection, template=template, **extra)

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Callable]:
        if connection.vendor == "sqlite":
            return [lambda value, expression, connection: json.loads(value)]
        return super().get_db_converters(connection)


def json_rows(queryset: QuerySet, related: Mapping[str, Sequence[str]] | None = None) -> ArrayOf:
    """``queryset`` (correlated to the outer row with ``OuterRef``, ordered and sliced by the
    caller) as an array of JSON objects holding every concrete field, and for each foreign
    key named in ``related`` the listed fields of the row it points to."""
    fields: dict[str, Any] = {
        field.attname: F(field.attname) for field in queryset.model._meta.concrete_fields
    }
    for name, names in (related or {}).items():
        fields[name] = JSONObject(**{each: F(f"{name}__{each}") for each in names})
    return ArrayOf(queryset.values(row=JSONObject(**fields)))


def rows_to_instances(
    model: type[M], rows: Iterable[Mapping[str, Any] | str], related: Sequence[str] = ()
) -> list[M]:
    """Instances of ``model`` from a ``json_rows`` value, as if read from the database, with
    the foreign keys named in ``related`` set to partly-read instances (the fields given).
    Every row of one value holds the same keys, so each model's fields are found once."""
    instances = []
    keys = {name: model._meta.get_field(name) for name in related}
    found: dict[str, list[Any]] = {}  # the fields of the rows, and of each relation's
    for value in rows:
        row = json.loads(value) if isinstance(value, str) else value  # SQLite: JSON text
        instance = _instance(model, row, found, "")
        for name, field in keys.items():
            target_id = row[field.attname]
            if target_id is not None:
                target = field.related_model
                values = {**row[name], target._meta.pk.attname: target_id}
                setattr(instance, name, _instance(target, values, found, name))
        instances.append(instance)
    return instances


def _instance(model: type[M], row: Mapping[str, Any], found: dict[str, list[Any]], key: str) -> M:
    if key not in found:
        found[key] = [field for field in model._meta.concrete_fields if field.attname in row]
    fields = found[key]
    values = [field.to_python(row[field.attname]) for field in fields]
    return model.from_db(DEFAULT_DB_ALIAS, [field.attname for field in fields], values)
