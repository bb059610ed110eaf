"""Streams generated rows into PostgreSQL with COPY, and writes each row's creation record
into its simple_history table in the same pass (ARCHITECTURE.md "History": every case row
has its history, even when it did not come through a service).

Rows are plain dicts keyed by field ``attname``; fields left out take the model's default
(``auto_now``/``auto_now_add`` take the generation time). Ids come from the table's own
sequence, reserved in blocks, so generated rows never collide with rows written by the
application and a second run appends.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

ID_BLOCK = 5000


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


class _Table:
    """What COPY needs for one model: its columns, in order, and their defaults."""

    def __init__(self, model: type[models.Model], now: datetime, with_id: bool) -> None:
        self.model = model
        fields = [
            f
            for f in model._meta.concrete_fields
            if with_id or not getattr(f, "primary_key", False)
        ]
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.json = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        self.pairs = [(f.attname, self._default(f, now)) for f in fields]

    @staticmethod
    def _default(f: models.Field, now: datetime) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        if f.default is not NOT_PROVIDED:
            return f.get_default()
        if isinstance(f, models.CharField | models.TextField) and not f.null:
            return ""
        return None

    def values(self, row: dict[str, Any]) -> list[Any]:
        """The row's values in column order: the row's own, else the default."""
        values = [row.get(name, default) for name, default in self.pairs]
        for index in self.json:
            values[index] = json.dumps(values[index])
        return values

    def copy(self, rows: list[tuple]) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


class _HistoryTable(_Table):
    """A simple_history table: the tracked row's values, then when and how ("+")."""

    def __init__(self, history: type[models.Model], source: _Table, now: datetime) -> None:
        super().__init__(history, now, with_id=False)  # history_id: its own sequence
        position = {name: index for index, name in enumerate(source.attnames)}
        constants = {"history_date": now, "history_type": "+"}
        # For each column: the index of the tracked row's value, or -1 and a constant.
        self.plan = [
            (position.get(name, -1), constants.get(name, default)) for name, default in self.pairs
        ]

    def from_values(self, values: list[Any]) -> tuple:
        return tuple(values[i] if i >= 0 else constant for i, constant in self.plan)


class CopyWriter:
    """Buffers rows per model and COPYs them in the order models were first declared, so
    every foreign key points at a row already written.

    ``declare`` fixes that order (parents first). ``add`` buffers a row and, for a
    history-tracked model, its "+" history row dated ``history_date``. ``flush`` writes
    everything buffered; call it every few thousand children to bound memory.
    """

    def __init__(self, *, now: datetime) -> None:
        self.now = now
        self._tables: dict[type[models.Model], _Table] = {}
        self._history: dict[type[models.Model], _HistoryTable] = {}
        self._buffers: dict[type[models.Model], list[tuple]] = defaultdict(list)
        self._ids: dict[type[models.Model], list[int]] = defaultdict(list)
        self._history_of: dict[type[models.Model], type[models.Model] | None] = {}
        self.counts: dict[str, int] = defaultdict(int)

    def declare(self, *models_in_order: type[models.Model], with_id: bool = True) -> None:
        for model in models_in_order:
            if model in self._tables:
                continue
            table = self._tables[model] = _Table(model, self.now, with_id)
            history = self._history_of[model] = _history_model(model)
            if history is not None:
                self._history[history] = _HistoryTable(history, table, self.now)
                self._tables[history] = self._history[history]

    def new_id(self, model: type[models.Model]) -> int:
        """The next id of ``model``'s sequence, reserved ``ID_BLOCK`` at a time by moving
        the sequence on (one round trip; run the generator while nothing else inserts
        into the same tables)."""
        pool = self._ids[model]
        if not pool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH s AS (SELECT pg_get_serial_sequence(%s, 'id') AS name), "
                    "first AS (SELECT nextval(name) AS id FROM s) "
                    "SELECT id, setval(name, id + %s) FROM first, s",
                    [model._meta.db_table, ID_BLOCK - 1],
                )
                first, last = cursor.fetchone()
            pool.extend(range(last, first - 1, -1))
        return pool.pop()

    def add(self, model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
        """Buffer ``row`` (and its history row); return it, for chaining ids."""
        values = self._tables[model].values(row)
        self._buffers[model].append(tuple(values))
        history = self._history_of[model]
        if history is not None:
            # The history row repeats the stored values, defaults included (its copies of
            # auto_now fields are plain columns with no default of their own).
            self._buffers[history].append(self._history[history].from_values(values))
        return row

    def add_many(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.add(model, row)

    def tables_written(self) -> list[str]:
        return [table.model._meta.db_table for table in self._tables.values()]

    def flush(self) -> None:
        for model, table in self._tables.items():
            rows = self._buffers.get(model)
            if rows:
                table.copy(rows)
                self.counts[model._meta.label] += len(rows)
                rows.clear()
