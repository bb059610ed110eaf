"""The annual report around the metrics: every key, nulls with nothing to count, the year
before, constant query counts, the page, the PDF, the API, the population and commentary."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.annual import annual_metrics, annual_report
from reporting.models import Population, ReportCommentary
from tests.reporting import annual_dataset

# ANNUAL-REPORT-METRICS.md, every key as written there.
KEYS = [
    "cla_at_end", "cla_at_start", "cla_rate_per_10k", "cla_by_sex", "cla_by_age",
    "cla_by_ethnicity", "cla_started", "cla_ceased", "cla_ceased_by_reason",
    "cla_by_placement", "cla_by_placement_group", "cla_three_plus_placements_pct",
    "cla_long_term_stability_pct", "cla_reviews_held", "cla_reviews_in_timescale_pct",
    "cla_participation", "cla_pn7_pct", "cla_iro_visit_before_review_pct",
    "cp_at_end", "cp_at_start", "cp_rate_per_10k", "cp_during_year", "cp_started",
    "cp_ended", "cp_by_sex", "cp_by_category", "cp_repeat_pct", "cp_ended_2y_plus_pct",
    "cp_open_over_15m", "cp_open_over_2y", "icpc_held", "icpc_in_timescale_pct",
    "icpc_s47_in_15wd_pct", "rcpc_held", "rcpc_in_timescale_pct",
    "iro_fte", "iro_caseload_mean", "iro_caseload_by_iro", "challenges_raised",
    "challenges_by_reason", "challenges_by_highest_stage", "challenges_cla_vs_cp",
    "challenges_resolved_median_wd", "cafcass_referrals", "audits_completed",
    "audit_completion_pct", "audit_rag", "audit_question_yes_pct",
]  # fmt: skip
# Single percentages (audit_question_yes_pct is one per question code).
PERCENTAGES = [key for key in KEYS if key.endswith("_pct") and key != "audit_question_yes_pct"]


def test_every_key_is_there_and_percentages_with_nothing_to_count_are_null(db):
    metrics = annual_metrics(2019)
    assert list(metrics) == KEYS
    # An empty year: every percentage has a zero denominator, so it is None, never 0.
    for key in PERCENTAGES:
        assert metrics[key] is None, key
    # No population entered: the rates are None too; no IRO: no mean caseload.
    assert metrics["cla_rate_per_10k"] is None
    assert metrics["cp_rate_per_10k"] is None
    assert metrics["iro_caseload_mean"] is None
    assert metrics["challenges_resolved_median_wd"] is None
    assert metrics["cla_at_end"] == 0
    assert metrics["cla_participation"] == {f"PN{n}": 0 for n in range(8)}
    assert metrics["audit_rag"] == {"red": 0, "amber": 0, "green": 0}
    assert metrics["audit_question_yes_pct"] == {}


def test_the_year_before_is_beside_each_figure(people):
    annual_dataset.build(people)
    report = annual_report(2019)
    assert report.label == "2019-20" and report.previous_label == "2018-19"
    assert report.previous == annual_metrics(2018)
    # 2018-19: R0 (01/12/2018) is the one review held, on its due date: 1 / 1 = 100.0%.
    assert report.previous["cla_reviews_held"] == 1
    assert report.previous["cla_reviews_in_timescale_pct"] == 100.0
    # On 31/03/2019 (the end of 2018-19) 4 children were in care, but no population was
    # entered for 2018: no rate.
    assert report.previous["cla_at_end"] == report.metrics["cla_at_start"] == 4
    assert report.previous["cla_rate_per_10k"] is None
    # Ch6 (01/03/2019) was raised in 2018-19; the 20/03/2019 Cafcass referral was made then.
    assert report.previous["challenges_raised"] == 1
    assert report.previous["cafcass_referrals"] == 1


def _count_queries(year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        annual_metrics(year)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_rows(people):
    annual_dataset.build(people)
    before = _count_queries(2019)
    # Three times the children, reviews, plans, conferences, challenges and audits.
    for copy in ("X", "Y"):
        annual_dataset.build_copy(people, copy)
    assert _count_queries(2019) == before
    assert annual_metrics(2019)["cla_at_end"] == 3 * 4


@pytest.fixture
def report_data(people):
    annual_dataset.build(people)
    ReportCommentary.objects.create(
        year=2019, section="priorities", text="Every child seen before their review.",
        updated_by=people["mandy"],
    )  # fmt: skip


@pytest.mark.parametrize("name", ["mandy", "helen", "dora", "percy"])
def test_managers_and_performance_see_the_report(client, people, report_data, name):
    client.force_login(people[name])
    response = client.get(reverse("reporting:annual-report", args=[2019]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "IRO annual report 2019-20" in page
    assert "Every child seen before their review." in page
    assert "66.7%" in page  # reviews in timescale
    assert "ChildA" not in page  # aggregates only: no child's name


@pytest.mark.parametrize("name", ["alice", "sarah", "charlie", "betty"])
def test_case_workers_do_not_see_the_report(client, people, name):
    client.force_login(people[name])
    assert client.get(reverse("reporting:annual-report", args=[2019])).status_code == 403
    response = client.get(reverse("reports-annual"), {"year": 2019})
    assert response.status_code == 403


def test_the_report_page_without_a_year_shows_the_last_year_ended(client, people):
    client.force_login(people["mandy"])
    response = client.get(reverse("reporting:annual"), {"year": "2019"})
    assert response.url == reverse("reporting:annual-report", args=[2019])
    assert client.get(reverse("reporting:annual"), {"year": "nineteen"}).status_code == 400


def test_the_pdf_renders(client, people, report_data):
    client.force_login(people["mandy"])
    response = client.get(reverse("reporting:annual-report-pdf", args=[2019]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "iro-annual-report-2019-20.pdf" in response["Content-Disposition"]
    assert len(response.content) > 10_000


def test_the_api_returns_every_key_for_the_year_and_the_one_before(client, people):
    annual_dataset.build(people)
    client.force_login(people["percy"])
    response = client.get(reverse("reports-annual"), {"year": 2019})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["year", "period", "metrics", "previous"]
    assert body["year"] == 2019
    assert body["period"] == {"start": "2019-04-01", "end": "2020-03-31"}
    assert list(body["metrics"]) == KEYS and list(body["previous"]) == KEYS
    assert body["metrics"]["cla_reviews_in_timescale_pct"] == 66.7
    assert body["metrics"]["icpc_in_timescale_pct"] == 33.3
    assert body["previous"]["cla_reviews_held"] == 1
    assert body["metrics"]["audit_question_yes_pct"]["q3"] is None


@pytest.mark.parametrize("year", ["", "abc", "1999", "2101"])
def test_the_api_refuses_a_missing_or_impossible_year(client, people, year):
    client.force_login(people["percy"])
    response = client.get(reverse("reports-annual"), {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


def test_the_manager_enters_a_population_and_the_rate_follows(client, people):
    annual_dataset.build(people)
    client.force_login(people["mandy"])
    url = reverse("reporting:population")
    response = client.post(url, {"year": 2019, "population": 20000, "source": "ONS mid-2019"})
    assert response.status_code == 302
    row = Population.objects.get(year=2019)
    assert (row.population, row.source, row.entered_by) == (20000, "ONS mid-2019", people["mandy"])
    # 4 children in care / 20,000 x 10,000 = 2.0
    assert annual_metrics(2019)["cla_rate_per_10k"] == 2.0
    response = client.post(url, {"year": 2019, "population": "", "source": ""})
    assert response.status_code == 200
    assert "Enter the population aged 0 to 17" in response.content.decode()


@pytest.mark.parametrize("name", ["percy", "helen", "alice"])
def test_only_the_manager_and_administrators_enter_populations(client, people, name):
    client.force_login(people[name])
    assert client.get(reverse("reporting:population")).status_code == 403


def test_set_population_command_enters_and_corrects_a_year(db):
    call_command("set_population", year=2024, population=51234, source="ONS mid-2024")
    call_command("set_population", "--year", "2024", "--population", "51000", "--source", "v2")
    row = Population.objects.get(year=2024)
    assert (row.population, row.source, row.entered_by) == (51000, "v2", None)


def test_the_manager_writes_commentary_that_shows_in_the_report(client, people):
    client.force_login(people["mandy"])
    url = reverse("reporting:annual-commentary", args=[2019, "children_told_us"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Children asked for reviews at school."})
    assert response.url == reverse("reporting:annual-report", args=[2019])
    page = client.get(response.url).content.decode()
    assert "What children told us" in page
    assert "Children asked for reviews at school." in page
    client.post(url, {"text": ""})
    assert not ReportCommentary.objects.filter(year=2019).exists()


def test_performance_staff_cannot_write_commentary(client, people):
    client.force_login(people["percy"])
    url = reverse("reporting:annual-commentary", args=[2019, "priorities"])
    assert client.post(url, {"text": "x"}).status_code == 403


def test_periods_other_than_a_year_reuse_the_timeliness_metrics(people):
    from reporting.metrics.cla import review_metrics
    from reporting.metrics.periods import Period

    annual_dataset.build(people)
    # May 2019 only: R1 held 10/05/2019, due 01/06/2019: 1 held, 1 / 1 = 100.0%.
    month = review_metrics(Period(date(2019, 5, 1), date(2019, 5, 31)))
    assert month["cla_reviews_held"] == 1
    assert month["cla_reviews_in_timescale_pct"] == 100.0
