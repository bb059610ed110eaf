"""Importing an SSDA903 return (issue 9, DATA-FORMATS.md 5.1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child, Episode, PeriodOfCare
from iro_service.core.models import RecordSource
from reporting.imports.base import ImportFailed
from reporting.imports.ssda903 import import_ssda903
from reviews import workflow
from reviews.models import Review
from tests.reporting import ssda903_samples as sample

pytestmark = pytest.mark.django_db


def test_the_example_return_imports_children_periods_episodes_and_reviews():
    summary = import_ssda903(sample.files(), year=sample.YEAR, by=None)

    assert summary["children"] == {"added": 3, "updated": 0}
    assert summary["periods_of_care"] == {"added": 3, "updated": 0}
    assert summary["episodes"] == {"added": 5, "updated": 0}
    assert summary["reviews"] == {"added": 4, "updated": 0}
    fake1 = Child.objects.get(la_child_id="FAKE001")
    assert (fake1.sex, str(fake1.date_of_birth), fake1.upn) == ("F", "2012-06-14", "J999000012001")
    assert list(PeriodOfCare.objects.filter(child=fake1).values_list("start_date", "end_date")) == [
        (fake1.periods_of_care.get().start_date, None)
    ]
    assert Episode.objects.filter(period__child=fake1).count() == 3
    fake2_period = PeriodOfCare.objects.get(child__la_child_id="FAKE002")
    assert str(fake2_period.end_date) == "2024-10-28"


def test_imported_reviews_are_held_marked_imported_with_clock_engine_due_dates():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)

    first, second = Review.objects.filter(
        child__la_child_id="FAKE001", status=workflow.HELD
    ).order_by("held_date")
    assert first.source == second.source == RecordSource.IMPORTED
    # CLA-1: 20 working days from 05/02/2024 (no bank holidays in between) = 04/03/2024.
    assert (first.sequence_rule, str(first.clock_start), str(first.original_due_date)) == (
        "CLA-1",
        "2024-02-05",
        "2024-03-04",
    )
    # CLA-2: 3 months after the first review held on 23/05/2024.
    assert (second.sequence_rule, str(second.original_due_date)) == ("CLA-2", "2024-08-23")
    assert first.participation_code == "PN1"
    assert first.decisions_due is None and first.record_due is None


def test_children_still_in_care_get_their_next_review_and_the_one_who_left_none():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)

    open_reviews = Review.objects.filter(status__in=workflow.OPEN_STATUSES)
    assert set(open_reviews.values_list("child__la_child_id", flat=True)) == {"FAKE001", "FAKE003"}
    # CLA-3: 6 months after FAKE001's latest review (14/11/2024).
    assert str(open_reviews.get(child__la_child_id="FAKE001").due_date) == "2025-05-14"


def test_sex_codes_map_to_the_child_record_in_each_year():
    # 2023-24 and earlier: 1 = male, 2 = female (rule 101).
    header = (
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "OLD1,2,01/01/2010,WBRI,UN3,0,\n"
        "OLD2,1,01/01/2010,WBRI,UN3,,\n"
    )
    episodes = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "OLD1,01/05/2023,S,V2,N1,U6,PR1,,,,ZZ1 1AA,ZZ2 2BB,9990001\n"
        "OLD2,01/05/2023,S,V2,N1,U6,PR1,,,,ZZ1 1AA,ZZ2 2BB,9990001\n"
    )
    import_ssda903({"h.csv": header.encode(), "e.csv": episodes.encode()}, year=2023, by=None)

    sexes = dict(Child.objects.values_list("la_child_id", "sex"))
    assert sexes == {"OLD1": "F", "OLD2": "M"}


def test_sex_codes_of_another_year_are_refused():
    header = sample.HEADER.replace("FAKE001,F,", "FAKE001,2,")
    with pytest.raises(ImportFailed) as failure:
        import_ssda903(sample.files(header=header), year=sample.YEAR, by=None)
    (error,) = failure.value.errors
    assert (error.file, error.row, error.column, error.rule) == ("a.csv", 2, "SEX", "903-101")


# Validation: every problem, with file, row, column and rule; nothing written ---------------


def _errors(failure: pytest.ExceptionInfo[ImportFailed]) -> list[tuple]:
    return [(e.file, e.row, e.column, e.rule) for e in failure.value.errors]


def test_every_problem_is_reported_by_file_row_column_and_rule_and_nothing_is_written():
    header = sample.HEADER.replace("FAKE002,M,02/09/2016,MWBC", "FAKE002,M,02/09/2016,XXXX")
    episodes = sample.EPISODES.replace(
        "FAKE003,06/01/2025,S,V2,N8,K2,PR4,,", "FAKE003,06/01/2025,S,V2,N8,K2,PR4,31/02/2025,"
    )
    reviews = sample.REVIEWS.replace(
        "FAKE001,14/06/2012,23/05/2024,PN1", "FAKE001,14/06/2012,23/05/2024,PN0"
    )

    with pytest.raises(ImportFailed) as failure:
        import_ssda903(sample.files(header, episodes, reviews), year=sample.YEAR, by=None)

    assert _errors(failure) == [
        ("a.csv", 3, "ETHNIC", "903-103"),
        ("b.csv", 6, "DEC", "903-147"),
        ("c.csv", 2, "REVIEW_CODE", "903-440"),
    ]
    assert "dd/mm/yyyy" in failure.value.errors[1].message
    assert not Child.objects.exists()


def test_sequence_rules_land_on_the_episode_row_that_breaks_them():
    # FAKE001's second episode starts before the first ended: they overlap (rule 501).
    episodes = sample.EPISODES.replace("FAKE001,15/07/2024,P", "FAKE001,10/07/2024,P")
    with pytest.raises(ImportFailed) as failure:
        import_ssda903(sample.files(episodes=episodes), year=sample.YEAR, by=None)
    assert ("b.csv", 3, "DECOM", "903-501") in _errors(failure)


def test_a_period_starting_in_the_year_must_start_with_rne_s():
    episodes = sample.EPISODES.replace("FAKE003,06/01/2025,S", "FAKE003,06/01/2025,P")
    with pytest.raises(ImportFailed) as failure:
        import_ssda903(sample.files(episodes=episodes), year=sample.YEAR, by=None)
    assert _errors(failure) == [("b.csv", 6, "RNE", "903-357")]


def test_an_episode_open_before_the_year_may_continue_a_period_we_do_not_hold():
    # FAKE001 in care since 2020: the first episode in the return is a placement move.
    episodes = sample.EPISODES.replace("FAKE001,05/02/2024,S", "FAKE001,05/02/2024,P")
    import_ssda903(sample.files(episodes=episodes), year=sample.YEAR, by=None)
    assert str(PeriodOfCare.objects.get(child__la_child_id="FAKE001").start_date) == "2024-02-05"


def test_children_missing_from_the_header_and_reviews_out_of_care_are_reported():
    episodes = sample.EPISODES + "FAKE009,01/05/2024,S,V2,N1,U6,PR1,,,,ZZ1 1AA,ZZ2 2BB,9990009\r\n"
    reviews = sample.REVIEWS + "FAKE002,02/09/2016,01/12/2024,PN1\r\n"
    with pytest.raises(ImportFailed) as failure:
        import_ssda903(sample.files(episodes=episodes, reviews=reviews), year=sample.YEAR, by=None)
    assert _errors(failure) == [
        ("b.csv", 7, "CHILD", "903-INT03"),
        ("c.csv", 6, "REVIEW", "APP-NOT-IN-CARE"),
    ]


def test_files_are_recognised_by_their_columns_not_their_names():
    header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER\r\nFAKE001,F,14/06/2012,WBRI,J999000012001,0\r\n"
    with pytest.raises(ImportFailed) as failure:
        import_ssda903({"episodes.csv": header.encode()}, year=sample.YEAR, by=None)
    (error,) = failure.value.errors
    assert (error.file, error.row, error.rule) == ("episodes.csv", 1, "APP-TABLE")
    assert "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB" in error.message


def test_a_byte_order_mark_lf_line_ends_and_lower_case_codes_are_accepted():
    files = sample.files(
        header="\ufeff" + sample.HEADER.replace("\r\n", "\n").replace(",WBRI,", ",wbri,"),
        episodes=sample.EPISODES.replace("\r\n", "\n"),
    )
    summary = import_ssda903(files, year=sample.YEAR, by=None)
    assert summary["children"]["added"] == 3
    assert Child.objects.get(la_child_id="FAKE001").ethnicity == "WBRI"


# Re-import and later years ---------------------------------------------------------------


def test_importing_the_same_files_again_changes_nothing():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    before = sample.snapshot()
    history = Review.history.count() + Episode.history.count() + Child.history.count()
    open_reviews = set(
        Review.objects.filter(status__in=workflow.OPEN_STATUSES).values_list("pk", "due_date")
    )

    summary = import_ssda903(sample.files(), year=sample.YEAR, by=None)

    assert all(counts == {"added": 0, "updated": 0} for counts in summary.values())
    assert sample.snapshot() == before
    assert Review.history.count() + Episode.history.count() + Child.history.count() == history
    assert (
        set(Review.objects.filter(status__in=workflow.OPEN_STATUSES).values_list("pk", "due_date"))
        == open_reviews
    )


def test_a_failed_import_leaves_earlier_imports_exactly_as_they_were():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    before = sample.snapshot()
    header = sample.HEADER.replace("J999000012001", "J999000012999").replace(
        "FAKE003,F", "FAKE003,X"
    )
    with pytest.raises(ImportFailed):
        import_ssda903(sample.files(header=header), year=sample.YEAR, by=None)
    assert sample.snapshot() == before


def _history_counts() -> dict[str, int]:
    return {
        model.__name__: model.history.count()  # type: ignore[attr-defined]
        for model in (Child, PeriodOfCare, Episode, Review)
    }


def test_re_importing_with_one_episode_changed_updates_that_row_and_adds_its_history():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    before, history = sample.snapshot(), _history_counts()
    episodes = sample.EPISODES.replace("ZZ4 4DD,ZZ5 5EE,9990002", "ZZ4 4DD,ZZ5 5EF,9990002")

    summary = import_ssda903(sample.files(episodes=episodes), year=sample.YEAR, by=None)

    assert summary["episodes"] == {"added": 0, "updated": 1}
    assert all(
        summary[kind] == {"added": 0, "updated": 0} for kind in summary if kind != "episodes"
    )
    changed = Episode.objects.get(period__child__la_child_id="FAKE002")
    assert changed.pl_post == "ZZ5 5EF"
    after = sample.snapshot()
    assert {k: v for k, v in after.items() if k != "episodes"} == {
        k: v for k, v in before.items() if k != "episodes"
    }
    assert after["episodes"] - before["episodes"] == {
        (*_episode_key(changed), "ZZ5 5EF", "9990002")
    }
    assert _history_counts() == history | {"Episode": history["Episode"] + 1}
    # The history row is the whole row as it now is, recorded as a change by the import.
    (update,) = Episode.history.filter(history_type="~")
    assert (update.id, update.decom, update.dec, update.rec) == (
        changed.pk,
        changed.decom,
        changed.dec,
        changed.rec,
    )
    assert (update.period_id, update.pl_post, update.home_post) == (
        changed.period_id,
        "ZZ5 5EF",
        "ZZ4 4DD",
    )
    assert update.history_change_reason == "SSDA903 import 2024-25"


def _episode_key(episode: Episode) -> tuple:
    """The snapshot's columns of an episode up to PL_POST."""
    return (
        "FAKE002",
        episode.period.start_date,
        episode.decom,
        episode.rne,
        episode.ls,
        episode.cin,
        episode.place,
        episode.place_provider,
        episode.dec,
        episode.rec,
        episode.reason_place_change,
        episode.home_post,
    )


def test_re_importing_with_one_review_code_changed_keeps_its_due_dates_and_adds_its_history():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    history = _history_counts()
    review = Review.objects.get(child__la_child_id="FAKE001", held_date="2024-05-23")
    reviews = sample.REVIEWS.replace(
        "FAKE001,14/06/2012,23/05/2024,PN1", "FAKE001,14/06/2012,23/05/2024,PN3"
    )

    summary = import_ssda903(sample.files(reviews=reviews), year=sample.YEAR, by=None)

    assert summary["reviews"] == {"added": 0, "updated": 1}
    changed = Review.objects.get(pk=review.pk)
    assert changed.participation_code == "PN3"
    clock = ("period_id", "sequence_rule", "clock_start", "original_due_date", "due_date")
    assert [getattr(changed, name) for name in clock] == [getattr(review, name) for name in clock]
    assert _history_counts() == history | {"Review": history["Review"] + 1}
    (update,) = Review.history.filter(history_type="~")
    assert (update.id, update.participation_code, update.status, update.source) == (
        review.pk,
        "PN3",
        workflow.HELD,
        RecordSource.IMPORTED,
    )
    assert [getattr(update, name) for name in clock] == [getattr(review, name) for name in clock]


def test_re_importing_unchanged_files_reads_no_whole_review_or_episode_rows():
    """Only the compared columns of what is held are read; whole rows only of those that
    change (the free text of a review is never needed to compare it)."""
    import_ssda903(sample.files(), year=sample.YEAR, by=None)

    with CaptureQueriesContext(connection) as queries:
        import_ssda903(sample.files(), year=sample.YEAR, by=None)

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"reviews_review"."wishes_and_feelings"' not in read
    assert '"children_child"."address"' not in read
    assert '"children_episode"."urn"' in read  # compared


NEXT_HEADER = (
    "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
    "FAKE001,F,14/06/2012,WBRI,J999000012001,0,\r\n"
    "FAKE003,F,23/01/2008,AOTH,T999000008003,0,\r\n"
    "FAKE004,M,10/10/2015,WBRI,A999000015004,,\r\n"
)
NEXT_EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"
    "FAKE001,20/11/2024,L,C2,N1,U4,PR1,01/08/2025,X1,CARPL,ZZ1 1AA,ZZ3 3CC,9990001\r\n"
    "FAKE001,01/08/2025,P,C2,N1,U1,PR1,,,,ZZ1 1AA,ZZ8 8HH,9990004\r\n"
    "FAKE003,06/01/2025,S,V2,N8,K2,PR4,,,,ZZ6 6FF,ZZ7 7GG,9990003\r\n"
    "FAKE004,01/06/2025,S,V2,N5,U6,PR1,,,,ZZ9 9JJ,ZZ1 2KK,9990005\r\n"
)
NEXT_REVIEWS = (
    "CHILD,DOB,REVIEW,REVIEW_CODE\r\n"
    "FAKE001,14/06/2012,10/05/2025,PN1\r\n"
    "FAKE003,23/01/2008,20/04/2025,PN5\r\n"
    "FAKE004,10/10/2015,20/06/2025,PN1\r\n"
)


def test_a_later_year_updates_and_extends_without_duplicating_continuing_episodes():
    import_ssda903(sample.files(), year=2024, by=None)

    summary = import_ssda903(
        sample.files(NEXT_HEADER, NEXT_EPISODES, NEXT_REVIEWS), year=2025, by=None
    )

    assert summary == {
        "children": {"added": 1, "updated": 0},
        "periods_of_care": {"added": 1, "updated": 0},
        "episodes": {"added": 2, "updated": 1},
        "reviews": {"added": 3, "updated": 0},
    }
    fake1 = Episode.objects.filter(period__child__la_child_id="FAKE001").order_by("decom")
    assert [(str(e.decom), e.rec) for e in fake1] == [
        ("2024-02-05", "X1"),
        ("2024-07-15", "X1"),
        ("2024-11-20", "X1"),
        ("2025-08-01", ""),
    ]
    assert len({e.period_id for e in fake1}) == 1
    # FAKE001's third review (10/05/2025) is a CLA-3 review, 6 months after 14/11/2024.
    third = Review.objects.get(child__la_child_id="FAKE001", held_date="2025-05-10")
    assert (third.sequence_rule, str(third.original_due_date)) == ("CLA-3", "2025-05-14")
    # The next reviews follow the reviews now held: 6 months after 10/05/2025 and 20/04/2025.
    next_due = dict(
        Review.objects.filter(status__in=workflow.OPEN_STATUSES).values_list(
            "child__la_child_id", "due_date"
        )
    )
    assert {k: str(v) for k, v in next_due.items()} == {
        "FAKE001": "2025-11-10",
        "FAKE003": "2025-10-20",
        "FAKE004": str(Review.objects.get(child__la_child_id="FAKE004", status="due").due_date),
    }
    # The earlier year's rows are all still there.
    assert Review.objects.filter(status=workflow.HELD).count() == 7


def test_imported_rows_have_history():
    import_ssda903(sample.files(), year=sample.YEAR, by=None)
    assert Child.history.filter(history_type="+").count() == 3
    assert Episode.history.filter(history_type="+").count() == 5
    assert Review.history.filter(history_type="+", source=RecordSource.IMPORTED).count() == 4


def test_a_file_named_for_another_year_is_refused():
    files = {"SSDA903_2024_header.csv": sample.HEADER.encode(), "b.csv": sample.EPISODES.encode()}
    with pytest.raises(ImportFailed) as failure:
        import_ssda903(files, year=2024, by=None)
    assert _errors(failure) == [("SSDA903_2024_header.csv", None, "", "APP-YEAR")]
