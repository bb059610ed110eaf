"""``field__any=values``: the ``__in`` lookup for long lists of values (issue 11).

Django writes ``__in`` as ``IN (%s, %s, ...)``, one parameter per value, each prepared in
Python: for the thousands of ids a reminder scan passes (every subject of a rule, every
child of its recipients) building that list is slow in Python and parsing it slow in
PostgreSQL. On PostgreSQL ``__any`` sends the values as one array parameter cast to the
column's type, ``column = ANY(%s::bigint[])``, and PostgreSQL converts them; elsewhere it is
``__in``. Registered on every field and relation by ``CoreConfig.ready``; the values are
plain values (a relation takes ids, not model instances).
"""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

Sql = tuple[str, tuple[Any, ...] | list[Any]]


class AnyOf(In):
    lookup_name = "any"

    def get_prep_lookup(self) -> Any:
        """The values as given (``as_sql`` prepares them where the database needs it)."""
        return self.rhs if self.rhs_is_direct_value() else super().get_prep_lookup()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        """Other databases: ``__in``, which prepares each value."""
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Sql:
        if not self.rhs_is_direct_value():  # a subquery: as ``__in``
            return super().as_sql(compiler, connection)
        values = [value for value in self.rhs if value is not None]  # NULL equals nothing
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array_type = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs} = ANY(%s::{array_type})", (*lhs_params, values)
