"""National-return importers, keyed by ``ImportRun.Kind`` value.

Every importer has the shape of ``reporting.imports.base.Importer``; ``runs.import_run_execute``
looks the run's kind up here. Add a line per importer (SSDA903 here; CIN census and strategy
discussion dates from ``reporting.imports.cin``).
"""

from reporting.imports.base import Importer
from reporting.imports.cin import import_cin
from reporting.imports.ssda903 import import_ssda903
from reporting.imports.strategy import import_strategy_discussions

IMPORTERS: dict[str, Importer] = {
    "ssda903": import_ssda903,
    "cin": import_cin,
    "strategy": import_strategy_discussions,
}
