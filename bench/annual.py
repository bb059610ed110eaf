#!/usr/bin/env python
"""The annual report's figures for one reporting year (``reporting.annual.annual_metrics``)
against hand-written SQL aggregates, printed as JSON.

    DATABASE_URL=... python bench/annual.py --year 2025

The floor is a representative subset of the metrics written as one SQL aggregate each
(children in care at the end, started and ceased; reviews held and in time; children on
plans at the end, plans started; initial conferences held and in time; review conferences
held and in time; challenges raised per stage; caseload per IRO). The application computes
every metric of ANNUAL-REPORT-METRICS.md, so the ratio overstates the cost per metric.
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

from reporting.annual import annual_metrics  # noqa: E402

FLOOR_SQL = (
    # Children in care on the last day: an episode open on that day.
    """SELECT count(DISTINCT p.child_id) FROM children_episode e
       JOIN children_periodofcare p ON p.id = e.period_id
       WHERE e.decom <= %(end)s AND (e.dec IS NULL OR e.dec > %(end)s)""",
    "SELECT count(*) FROM children_periodofcare WHERE start_date BETWEEN %(start)s AND %(end)s",
    "SELECT count(*) FROM children_periodofcare WHERE end_date BETWEEN %(start)s AND %(end)s",
    """SELECT count(*), count(*) FILTER (WHERE held_date <= original_due_date)
       FROM reviews_review WHERE status = 'held' AND held_date BETWEEN %(start)s AND %(end)s""",
    """SELECT count(DISTINCT child_id) FROM children_childprotectionplan
       WHERE start_date <= %(end)s AND (end_date IS NULL OR end_date > %(end)s)""",
    """SELECT count(*) FROM children_childprotectionplan
       WHERE start_date BETWEEN %(start)s AND %(end)s""",
    """SELECT conference_type, count(*), count(*) FILTER (WHERE held_on <= original_due_date)
       FROM conferences_conference WHERE status = 'held' AND held_on BETWEEN %(start)s AND %(end)s
       GROUP BY conference_type""",
    """SELECT s.stage, count(*) FROM challenges_challengestage s
       WHERE s.raised_on BETWEEN %(start)s AND %(end)s GROUP BY s.stage""",
    """SELECT iro_id, count(*) FROM children_child c
       WHERE EXISTS (SELECT 1 FROM children_periodofcare p WHERE p.child_id = c.id
                     AND p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date > %(end)s))
       GROUP BY iro_id""",
)


def floor(year: int) -> float:
    params = {"start": date(year, 4, 1), "end": date(year + 1, 3, 31)}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, required=True)
    year = parser.parse_args().year
    floor(year)  # warm the cache: both read the same tables
    floor_seconds = floor(year)
    started = time.perf_counter()
    metrics = annual_metrics(year)
    app_seconds = time.perf_counter() - started
    floor_seconds = min(floor_seconds, floor(year))
    print(
        json.dumps(
            {
                "metrics": len(metrics),
                "floor_queries": len(FLOOR_SQL),
                "floor_s": floor_seconds,
                "app_s": app_seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
