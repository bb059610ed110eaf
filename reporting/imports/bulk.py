"""Fast inserts for imports: rows and their "+" history rows (django-simple-history) written
with PostgreSQL COPY, ids reserved from the table's own sequence in one query.

Same result as ``simple_history.utils.bulk_create_with_history`` (one history row per new
row, with the user and reason), without building model instances or SQL parameters for
every value: a 50,000-episode return writes a few hundred thousand rows. Each row is
formatted once; its history row is the same line with the history columns after it. Other
databases (the SQLite demo) go through the ORM.

Rows are dicts keyed by field ``attname``; every row of one call has the same keys, and the
fields left out take the model's default (``auto_now``/``auto_now_add``: now).
"""

import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from people.models import User

Row = dict[str, Any]
CHUNK = 5000


def insert_with_history(
    model: type[models.Model], rows: Sequence[Row], *, by: User | None, reason: str
) -> list[int]:
    """Insert ``rows`` and their creation history; their ids, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        created = bulk_create_with_history(
            objects, model, batch_size=2000, default_user=by, default_change_reason=reason
        )
        return [obj.pk for obj in created]
    now = timezone.now()
    ids = _reserve_ids(model, len(rows))
    given, constants = _columns(model, rows[0], now)
    history = model.history.model  # type: ignore[attr-defined]
    extra = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": by.pk if by is not None else None,
    }
    columns = ["id", *given, *constants]
    tracked = {f.attname for f in history._meta.concrete_fields} - {"history_id", *extra}
    if tracked != set(columns):  # pragma: no cover - every imported model tracks all fields
        raise ValueError(f"{history.__name__} does not track exactly the fields of {model}")
    lines = _lines(
        [(pk, *(row[name] for name in given)) for pk, row in zip(ids, rows, strict=True)]
    )
    tail = _tail(constants.values())
    _copy(model, columns, [line + tail + "\n" for line in lines])
    history_tail = tail + _tail(extra.values()) + "\n"
    _copy(history, [*columns, *extra], [line + history_tail for line in lines])
    return ids


def insert(model: type[models.Model], rows: Sequence[Row]) -> None:
    """Insert rows of a model without history (event rows)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)  # type: ignore[attr-defined]
        return
    given, constants = _columns(model, rows[0], timezone.now())
    tail = _tail(constants.values()) + "\n"
    lines = _lines([tuple(row[name] for name in given) for row in rows])
    _copy(model, [*given, *constants], [line + tail for line in lines])


def _columns(model: type[models.Model], first: Row, now: datetime) -> tuple[list[str], Row]:
    """The given columns, and every other column with its default."""
    given = list(first)
    defaults = {
        f.attname: _default(f, now)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in first
    }
    return given, defaults


def _default(field: models.Field, now: datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now if isinstance(field, models.DateTimeField) else now.date()
    value = field.get_default()
    return json.dumps(value) if isinstance(field, models.JSONField) else value


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids from the table's sequence. The sequence is looked up once (OFFSET 0
    keeps the subquery from being merged into the outer one): as an argument of ``nextval``,
    ``pg_get_serial_sequence`` ran for every id and took five times as long as ``nextval``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(sequence.id) FROM ("
            "SELECT pg_get_serial_sequence(%s, 'id')::regclass AS id OFFSET 0"
            ") AS sequence, generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _copy(model: type[models.Model], attnames: list[str], lines: list[str]) -> None:
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(by_attname[name]) for name in attnames)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(lines), CHUNK):
            copy.write("".join(lines[start : start + CHUNK]))


# COPY text format ----------------------------------------------------------------------


def _lines(rows: list[tuple]) -> list[str]:
    """Each row's values in COPY text format, tab-separated (no line end yet)."""
    text = _text
    return ["\t".join([text(value) for value in row]) for row in rows]


def _tail(values: Any) -> str:
    """Columns that are the same on every row, formatted once."""
    return "".join("\t" + _text(value) for value in values)


def _escaped(value: str) -> str:
    return value.translate(_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_FORMATS: dict[type, Callable[[Any], str]] = {
    str: _escaped,
    type(None): lambda value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    date: date.isoformat,
    datetime: datetime.isoformat,
}


def _text(value: Any) -> str:
    """One value in COPY text format (NULL as \\N, booleans t/f, text escaped)."""
    format_value = _FORMATS.get(type(value))
    if format_value is None:  # subclasses of str and int (choices), and anything else
        return _escaped(str(value))
    return format_value(value)
