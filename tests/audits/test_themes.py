"""Themes on a known, hand-computed dataset; completion rates; expected audits; query
counts that do not grow with rows."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits import services, template_services
from audits.expectations import SPREAD, expected_reviews
from audits.models import Audit
from audits.themes import ThemeFilters, themes_for_user
from iro_service.core.forms import date_input_data
from reviews.models import Review

from .factories import completed_audit, held_review, template

pytestmark = pytest.mark.django_db

START, END = date(2026, 4, 1), date(2026, 6, 30)  # 91 days; previous: 31 Dec 2025 - 31 Mar


def _completed_on(audit: Audit, day: date) -> Audit:
    audit.completed_on = day
    audit.save(update_fields=["completed_on"])
    return audit


@pytest.fixture
def dataset(child, other_child, people):
    """Current period: four reviews held (two per team), three audited:
    A1 red (key PEP no), A2 amber (advocate partly, PEP n/a), A3 green; one draft.
    Previous period: one review held and audited green."""
    alice, bob = people["alice"], people["bob"]
    r1 = held_review(child, due=date(2026, 4, 20), held=date(2026, 4, 10))
    r2 = held_review(child, due=date(2026, 5, 20), held=date(2026, 5, 12))
    r3 = held_review(other_child, due=date(2026, 6, 1), held=date(2026, 5, 28))
    held_review(other_child, due=date(2026, 6, 20), held=date(2026, 6, 18))
    r0 = held_review(child, due=date(2026, 2, 20), held=date(2026, 2, 10))
    _completed_on(completed_audit(alice, review=r1, pep_available="no"), date(2026, 4, 12))
    _completed_on(
        completed_audit(alice, review=r2, pep_available="na", advocate_offered="partly"),
        date(2026, 5, 14),
    )
    _completed_on(completed_audit(bob, review=r3), date(2026, 6, 2))
    _completed_on(completed_audit(alice, review=r0), date(2026, 2, 15))
    draft_review = held_review(child, due=date(2026, 6, 25), held=None)
    services.audit_start(child=child, review=draft_review, by=alice)


def _themes(user, **kwargs):
    return themes_for_user(
        user=user, template=template("cla_review"), start=START, end=END, **kwargs
    )


def test_themes_arithmetic_on_a_known_dataset(dataset, people):
    themes = _themes(people["mandy"])
    current, previous = themes.current, themes.previous
    assert (previous.start, previous.end) == (date(2025, 12, 31), date(2026, 3, 31))
    assert current.rag == {"red": 1, "amber": 1, "green": 1}
    assert current.completed == 3 and current.rag_pct("red") == 33.3
    assert (current.completion.expected, current.completion.audited) == (4, 3)
    assert current.completion.pct == 75.0
    assert previous.rag == {"red": 0, "amber": 0, "green": 1}
    assert previous.completion.pct == 100.0
    questions = {q.code: q for q in themes.questions}
    pep = questions["pep_available"]
    assert (pep.yes, pep.partly, pep.no, pep.na) == (1, 0, 1, 1)
    assert pep.yes_pct == 50.0  # not applicable left out: 1 yes of 2
    assert pep.previous_yes_pct == 100.0
    advocate = questions["advocate_offered"]
    assert (advocate.yes, advocate.partly, advocate.yes_pct) == (2, 1, 66.7)
    assert questions["review_in_timescale"].yes_pct == 100.0
    assert next(q.code for q in themes.questions) == "review_in_timescale"  # template order


def test_themes_by_team_service_and_iro(dataset, people, org):
    by_team = {g.label: g for g in _themes(people["mandy"], by="team").groups}
    team_a, other = by_team["CiC Team A"], by_team["Assessment Team"]
    assert (team_a.completed, team_a.red, team_a.amber, team_a.green) == (2, 1, 1, 0)
    assert (team_a.completion.expected, team_a.completion.pct) == (2, 100.0)
    assert (other.completed, other.green, other.completion.pct) == (1, 1, 50.0)
    by_service = {g.label: g.completed for g in _themes(people["mandy"], by="service").groups}
    assert by_service == {"Children in Care Service": 2, "Safeguarding Service": 1}
    by_iro = {g.key: g.completion.pct for g in _themes(people["mandy"], by="iro").groups}
    assert by_iro == {people["alice"].pk: 100.0, people["bob"].pk: 50.0}


def test_themes_filters_and_visibility(dataset, people, org):
    filtered = _themes(people["mandy"], filters=ThemeFilters(team_id=org["other_team"].pk))
    assert filtered.current.rag == {"red": 0, "amber": 0, "green": 1}
    assert filtered.current.completion.pct == 50.0
    # The team manager of team A sees only team A's children.
    terry = _themes(people["terry"])
    assert terry.current.completed == 2
    assert (terry.current.completion.expected, terry.current.completion.audited) == (2, 2)


def test_completion_rate_follows_the_expected_audits_setting(dataset, people):
    cla = template("cla_review")
    template_services.template_settings_update(
        template=cla,
        name=cla.name,
        expect="rule",
        sample_percent=100,
        expect_rule="first",
        active=True,
        by=people["mandy"],
    )
    assert _themes(people["mandy"]).current.completion.expected == 0  # no CLA-1 reviews held
    template_services.template_settings_update(
        template=cla,
        name=cla.name,
        expect="percent",
        sample_percent=40,
        expect_rule="",
        active=True,
        by=people["mandy"],
    )
    held = Review.objects.filter(held_date__gte=START, held_date__lte=END)
    sampled = {pk for pk in held.values_list("pk", flat=True) if pk * SPREAD % 100 < 40}
    cla.refresh_from_db()
    assert set(expected_reviews(cla, held, END).values_list("pk", flat=True)) == sampled
    assert _themes(people["mandy"]).current.completion.expected == len(sampled)


def _count(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_themes_query_count_does_not_grow_with_rows(dataset, child, other_child, people):
    mandy = people["mandy"]
    before = _count(lambda: _themes(mandy, by="iro"))
    for offset in range(4):
        review = held_review(other_child, due=date(2026, 6, 20), held=date(2026, 4, 20 + offset))
        _completed_on(
            completed_audit(people["bob"], review=review, pep_available="no"),
            date(2026, 4, 21 + offset),
        )
    mandy = type(mandy).objects.get(pk=mandy.pk)
    _count(lambda: _themes(mandy, by="iro"))  # the roles are read once per user object
    assert _count(lambda: _themes(mandy, by="iro")) <= before
    assert _themes(mandy).current.completed == 7


def _page_queries(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_pages_query_counts_do_not_grow_with_rows(dataset, child, people):
    period_query = urlencode(date_input_data("start", START) | date_input_data("end", END))
    urls = [
        "/audits/findings/",
        f"/audits/themes/?template={template('cla_review').pk}&{period_query}",
        "/api/v1/audits/",
        "/api/v1/audit-templates/",
    ]
    counts = [_page_queries(people["mandy"], url) for url in urls]
    due = _page_queries(people["alice"], "/audits/")
    today = timezone.localdate()
    for offset in range(3):
        review = held_review(child, due=date(2026, 6, 20), held=date(2026, 6, 1 + offset))
        completed_audit(people["alice"], review=review)
        held_review(child, due=today + timedelta(days=5), held=today - timedelta(days=offset))
    assert [_page_queries(people["mandy"], url) for url in urls] == counts
    assert _page_queries(people["alice"], "/audits/") == due
