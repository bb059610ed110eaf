"""Strategy discussion dates for imported s47 enquiries (issue 9): matched on the child and
the s47 start, CP-1 recomputed, every bad row reported, all or nothing."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from children.models import S47Enquiry
from conferences.models import Conference
from reporting.imports.base import ImportFailed
from reporting.imports.cin import import_cin
from reporting.imports.strategy import import_strategy_discussions
from tests.reporting.cin_samples import census, files
from timescales.services import due_date_for

pytestmark = pytest.mark.django_db

HEADER = "CHILD,S47_START,STRATEGY_DATE,ICPC_DATE\r\n"
GOOD = HEADER + "FAKE0001,2024-04-10,2024-04-09,2024-04-30\r\n"


@pytest.fixture
def imported() -> None:
    import_cin(files(census()))


def _strategy(text: str) -> dict:
    return import_strategy_discussions({"strategy.csv": text.encode("utf-8")})


def test_strategy_date_sets_the_icpc_clock_of_enquiry_and_conference(imported: None) -> None:
    summary = _strategy(GOOD)

    assert summary == {
        "s47_enquiries": {"added": 0, "updated": 1},
        "icpcs": {"added": 0, "updated": 1},
    }
    enquiry = S47Enquiry.objects.get()
    # CP-1: 15 WD from the strategy discussion on 9 April 2024.
    assert enquiry.strategy_discussion_date == date(2024, 4, 9)
    assert enquiry.icpc_due == due_date_for("CP-1", date(2024, 4, 9)) == date(2024, 4, 30)
    icpc = Conference.objects.get(conference_type="icpc")
    assert (icpc.clock_start, icpc.original_due_date) == (date(2024, 4, 9), date(2024, 4, 30))


def test_same_file_twice_changes_nothing(imported: None) -> None:
    _strategy(GOOD)

    summary = _strategy(GOOD)

    assert summary["s47_enquiries"] == {"added": 0, "updated": 0}


def test_a_bom_and_lf_line_ends_are_accepted_and_icpc_may_be_blank(imported: None) -> None:
    data = "\ufeffCHILD,S47_START,STRATEGY_DATE,ICPC_DATE\nFAKE0001,2024-04-10,2024-04-10,\n"

    assert _strategy(data)["s47_enquiries"]["updated"] == 1


def test_every_bad_row_is_reported_and_nothing_written(imported: None) -> None:
    text = (
        HEADER
        + "FAKE0001,2024-04-10,2024-04-09,2024-04-30\r\n"  # line 2: fine on its own
        + "NOBODY1,2024-04-10,2024-04-09,\r\n"  # 3: no such child
        + "FAKE0001,2024-04-11,2024-04-09,\r\n"  # 4: no enquiry starting then
        + "FAKE0001,2024-04-10,09/04/2024,\r\n"  # 5: not yyyy-mm-dd
        + "FAKE0001,2024-04-10,2024-04-12,\r\n"  # 6: strategy after the s47 start
        + "FAKE0001,2024-04-10,2024-04-09,2024-05-02\r\n"  # 7: another ICPC; duplicate
    )

    with pytest.raises(ImportFailed) as failure:
        _strategy(text)

    found = {(e.row, e.column, e.rule) for e in failure.value.errors}
    assert {
        (5, "STRATEGY_DATE", "APP-STRAT-DATE"),
        (6, "STRATEGY_DATE", "APP-STRAT-ORDER"),
        (6, "S47_START", "APP-STRAT-DUPLICATE"),
        (7, "S47_START", "APP-STRAT-DUPLICATE"),
    } <= found
    assert all(e.file == "strategy.csv" for e in failure.value.errors)
    assert S47Enquiry.objects.get().strategy_discussion_date is None


def test_unmatched_rows_are_reported(imported: None) -> None:
    text = (
        HEADER
        + "NOBODY1,2024-04-10,2024-04-09,\r\n"
        + "FAKE0001,2024-04-11,2024-04-09,\r\n"
        + "FAKE0001,2024-04-10,2024-04-09,2024-05-02\r\n"
    )

    with pytest.raises(ImportFailed) as failure:
        _strategy(text)

    assert [(e.row, e.rule) for e in failure.value.errors] == [
        (2, "APP-STRAT-UNMATCHED"),
        (3, "APP-STRAT-UNMATCHED"),
        (4, "APP-STRAT-ICPC"),
    ]
    assert S47Enquiry.objects.get().strategy_discussion_date is None


def test_wrong_columns_are_refused() -> None:
    with pytest.raises(ImportFailed) as failure:
        _strategy("CHILD,S47,STRATEGY\r\n")

    assert [(e.row, e.rule) for e in failure.value.errors] == [(1, "APP-STRAT-HEADER")]


def test_command_takes_strategy_discussions(imported: None, tmp_path: Path) -> None:
    path = tmp_path / "strategy.csv"
    path.write_text(GOOD)
    out = StringIO()

    call_command("import_cin", str(path), "--strategy-discussions", stdout=out)

    assert "s47 enquiries: 0 added, 1 updated" in out.getvalue()
    assert S47Enquiry.objects.get().strategy_discussion_date == date(2024, 4, 9)
