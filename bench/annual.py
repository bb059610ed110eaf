#!/usr/bin/env python
"""The annual report's figures for one reporting year (``reporting.annual.annual_metrics``)
against the floor: the same figures from hand-written SQL aggregates
(``bench/annual_floor.py``, every metric of ANNUAL-REPORT-METRICS.md), printed as JSON.

    DATABASE_URL=... python bench/annual.py --year 2025 [--repeat 3]

Both are run once to warm the cache, then ``--repeat`` times each, alternately; the best
time of each is reported (the machine is shared). The two must give the same figures: a
metric that differs is printed and the script exits with status 1.
"""

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro_service.settings")

import django  # noqa: E402

django.setup()

from bench.annual_floor import floor_metrics  # noqa: E402
from reporting.annual import annual_metrics  # noqa: E402


def timed(compute: Callable[[int], dict], year: int) -> tuple[float, dict]:
    started = time.perf_counter()
    figures = compute(year)
    return time.perf_counter() - started, figures


def differences(app: dict, floor: dict) -> dict[str, object]:
    return {
        key: {"app": app.get(key), "floor": floor.get(key)}
        for key in sorted(set(app) | set(floor))
        if app.get(key) != floor.get(key)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    floor_metrics(options.year), annual_metrics(options.year)  # warm the cache
    floor_times, app_times = [], []
    for _ in range(options.repeat):
        seconds, floor = timed(floor_metrics, options.year)
        floor_times.append(seconds)
        seconds, metrics = timed(annual_metrics, options.year)
        app_times.append(seconds)
    differ = differences(metrics, floor)
    print(
        json.dumps(
            {
                "metrics": len(metrics),
                "same_figures": not differ,
                "differences": differ,
                "floor_s": min(floor_times),
                "app_s": min(app_times),
                "ratio": min(app_times) / min(floor_times),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            },
            default=str,
        )
    )
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
