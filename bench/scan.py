#!/usr/bin/env python
"""One full reminder scan (every registered rule, ``reminders.services.rule_scan``) against
its floor, printed as JSON.

    DATABASE_URL=... python bench/scan.py --today 2026-11-28

The floor is, per rule, one SQL query selecting the same due rows the scan starts from: the
rule's own open-items query with its due-date horizon, compiled once and run through a bare
cursor (no model instances, no thresholds, no recipients, no inserts). Rules computed by a
function (caseloads, the calendar) have no such query; their function is their floor.

The ledger is emptied first, so the first scan inserts every reminder due; the second scan
finds them all present and inserts nothing (the steady state of a daily scan). Between the
two the ledger tables are vacuumed and analysed, as autovacuum would after so many inserts.
Sending is not measured: the on-commit enqueue to the broker is replaced with a no-op.
"""

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from reminders import registry, services  # noqa: E402
from timescales.services import working_calendar  # noqa: E402


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def floor(today: date) -> float:
    calendar = working_calendar()
    started = time.perf_counter()
    for rule in registry.rules():
        if rule.evaluate is not None:
            list(rule.evaluate(today, calendar))
            continue
        horizon = max(threshold.horizon(today) for threshold in rule.thresholds)
        fields = ["id", rule.due_field, *([rule.child_field] if rule.child_field else [])]
        query = rule.open_items().filter(**{f"{rule.due_field}__lte": horizon}).values(*fields)
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def scan(today: date) -> tuple[float, int, int]:
    counter = QueryCounter()
    started = time.perf_counter()
    inserted = 0
    with connection.execute_wrapper(counter):
        for rule in registry.rules():
            inserted += services.rule_scan(rule.code, today=today).inserted
    return time.perf_counter() - started, counter.count, inserted


def settle() -> None:
    """What autovacuum does after the first scan's inserts: new statistics and a visibility
    map for the ledger tables. A daily scan meets them settled; this machine's PostgreSQL
    runs with autovacuum off, so the bench does it (the repeat scan is the steady state)."""
    with connection.cursor() as cursor:
        for table in ("reminders_reminder", "reminders_notification", "reminders_emaildelivery"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    today = parser.parse_args().today
    services.enqueue_many_on_commit = lambda task, arg_list: None
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reminders_emaildelivery, reminders_notification, reminders_reminder, "
            "reminders_scanrun CASCADE"
        )
    floor(today)  # warm the cache: the floor and the scan read the same pages
    floor_seconds = floor(today)
    first_seconds, first_queries, inserted = scan(today)
    settle()
    repeat_seconds, repeat_queries, again = scan(today)
    floor_seconds = min(floor_seconds, floor(today))
    print(
        json.dumps(
            {
                "rules": len(registry.rules()),
                "floor_s": floor_seconds,
                "first_s": first_seconds,
                "first_queries": first_queries,
                "inserted": inserted,
                "repeat_s": repeat_seconds,
                "repeat_queries": repeat_queries,
                "repeat_inserted": again,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
