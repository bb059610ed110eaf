"""The CIN census and strategy discussion importers run from the upload page's import runs
(registered as kinds "cin" and "strategy")."""

import pytest

from people.models import User
from reporting.imports.runs import import_run_execute, import_run_start
from reporting.models import ImportRun
from tests.reporting.cin_samples import census, files

pytestmark = pytest.mark.django_db


def test_cin_upload_runs_and_ends_with_a_summary(people: dict[str, User]) -> None:
    run = import_run_start(kind="cin", year=2024, files=files(census()), by=people["mandy"])

    import_run_execute(run.pk)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.summary["rcpcs"] == {"added": 2, "updated": 0, "removed": 0}
    assert not run.files.exists()


def test_strategy_upload_with_unmatched_rows_ends_with_the_error_list(
    people: dict[str, User],
) -> None:
    data = b"CHILD,S47_START,STRATEGY_DATE,ICPC_DATE\r\nNOBODY1,2024-04-10,2024-04-09,\r\n"
    run = import_run_start(kind="strategy", year=None, files={"s.csv": data}, by=people["mandy"])

    import_run_execute(run.pk)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert [(e["row"], e["rule"]) for e in run.errors] == [(2, "APP-STRAT-UNMATCHED")]
