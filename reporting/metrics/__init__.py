"""The annual report's metrics (ANNUAL-REPORT-METRICS.md), each a few aggregate queries over
the whole dataset, taking a ``Period`` so dashboards can reuse them for any span."""
