"""The dashboard pages: each role's home, the drill-down lists, sorting without JavaScript,
access, the caseload settings, and query counts that do not grow with the caseload."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from children.selectors import children_visible_to
from reporting.models import CaseloadSettings
from tests.reporting.dashboard_factories import TODAY, child_of, in_care, on_plan, restricted_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    """Travel to 20 May 2026 (noon in London) for the pages' ``localdate``."""
    noon = timezone.make_aware(datetime.combine(TODAY, time(12)))
    with time_machine.travel(noon, tick=False):
        yield TODAY


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def overdue_child(people, org):
    """Alice's child, looked after from 5 January: its first review is overdue."""
    child = child_of(people, org, first_name="Olive", last_name="Overdue")
    in_care(child, people, date(2026, 1, 5))
    return child


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("mandy", "IRO service dashboard"),
        ("alice", "My caseload"),
        ("betty", "Scheduling"),
        ("helen", "IRO service dashboard"),
        ("sarah", "Hello, Sarah"),
        ("percy", "Hello, Percy"),
    ],
)
def test_home_shows_each_roles_dashboard(client, people, persona, heading):
    response = signed_in(client, people[persona]).get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.text


def test_iro_sees_their_caseload_with_next_deadline_and_badge(client, people, overdue_child):
    text = signed_in(client, people["alice"]).get(reverse("reporting:dashboard_iro")).text
    assert "Olive Overdue" in text
    assert "CLA-1, due 2 Feb 2026" in text
    assert "moj-badge--red" in text and "Overdue by 74 working days" in text
    # My overdue items lists it too.
    assert text.count("Overdue by 74 working days") == 2


def test_caseload_sorts_on_the_server_without_javascript(client, people, org):
    for first, last, start in [
        ("Ann", "Zed", date(2026, 5, 11)),
        ("Bea", "Abel", date(2026, 1, 5)),
    ]:
        in_care(child_of(people, org, first_name=first, last_name=last), people, start)
    client = signed_in(client, people["alice"])
    by_name = client.get(reverse("reporting:dashboard_iro") + "?sort=child").text
    assert by_name.index("Bea Abel") < by_name.index("Ann Zed")
    assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=-child">Child' in by_name
    reverse_name = client.get(reverse("reporting:dashboard_iro") + "?sort=-child").text
    assert reverse_name.index("Ann Zed") < reverse_name.index("Bea Abel")
    by_due = client.get(reverse("reporting:dashboard_iro")).text
    assert by_due.index("Bea Abel") < by_due.index("Ann Zed")


def test_my_week_lists_the_reviews_i_chair(client, people, overdue_child):
    from reviews import services as review_services

    review = overdue_child.reviews.get()
    review_services.review_schedule(
        review=review,
        on=date(2026, 5, 21),
        at=time(10, 0),
        venue="Town Hall",
        online=False,
        late_reason="other",
        late_reason_text="Test",
        by=people["betty"],
    )
    text = signed_in(client, people["alice"]).get(reverse("reporting:dashboard_iro")).text
    assert "Thursday 21 May, 10:00 a.m." in text


def test_service_dashboard_drills_into_overdue_reviews(client, people, overdue_child):
    client = signed_in(client, people["mandy"])
    text = client.get(reverse("reporting:dashboard_service")).text
    link = f"{reverse('reporting:drill_overdue_reviews')}?iro={people['alice'].pk}"
    assert f'href="{link}"' in text
    drill = client.get(link).text
    assert "Olive Overdue" in drill and "Overdue: reviews" in drill
    assert f"IRO: {people['alice']}" in drill
    others = client.get(f"{reverse('reporting:drill_overdue_reviews')}?iro={people['bob'].pk}")
    assert "Olive Overdue" not in others.text


def test_drill_downs_never_show_a_restricted_child_off_its_allow_list(
    client, people, overdue_child
):
    restricted_to(overdue_child, people["alice"])
    urls = [
        reverse("reporting:drill_overdue_reviews"),
        reverse("reporting:drill_caseload"),
        reverse("reporting:dashboard_service"),
        reverse("reporting:dashboard_support"),
        f"{reverse('reporting:drill_timeliness')}?measure=cla_reviews&period=ytd",
    ]
    client = signed_in(client, people["mandy"])
    for url in urls:
        assert "Olive" not in client.get(url).text
    alice = signed_in(client, people["alice"])
    assert "Olive" in alice.get(reverse("reporting:drill_overdue_reviews")).text


def test_caseload_drill_down_by_iro_and_factor(client, people, org):
    both = child_of(people, org, first_name="Bo", last_name="Both")
    in_care(both, people, date(2026, 1, 5))
    on_plan(both, people, date(2026, 2, 2))
    in_care(child_of(people, org, first_name="Ina", last_name="Incare"), people, date(2026, 1, 5))
    client = signed_in(client, people["mandy"])
    url = reverse("reporting:drill_caseload")
    everyone = client.get(f"{url}?iro={people['alice'].pk}").text
    assert "Bo Both" in everyone and "Ina Incare" in everyone
    # 1 point, plus 2 for being in care and on a plan.
    assert "3 points: In care and on a plan" in everyone
    factor = client.get(f"{url}?factor=in_care_and_on_plan").text
    assert "Bo Both" in factor and "Ina Incare" not in factor


@pytest.mark.parametrize(
    ("persona", "url_name", "status"),
    [
        ("sarah", "reporting:dashboard_service", 403),
        ("betty", "reporting:dashboard_service", 403),
        ("sarah", "reporting:dashboard_iro", 403),
        ("betty", "reporting:dashboard_iro", 403),
        ("alice", "reporting:dashboard_support", 403),
        ("charlie", "reporting:drill_overdue_reviews", 403),
        ("alice", "reporting:caseload_settings", 403),
        ("dora", "reporting:dashboard_service", 200),
        ("percy", "reporting:dashboard_service", 403),
        ("mandy", "reporting:dashboard_support", 200),
    ],
)
def test_who_may_open_each_dashboard(client, people, persona, url_name, status):
    assert signed_in(client, people[persona]).get(reverse(url_name)).status_code == status


def test_the_manager_changes_the_target_and_points(client, people):
    client = signed_in(client, people["mandy"])
    url = reverse("reporting:caseload_settings")
    assert client.get(url).status_code == 200
    data = {
        "local_target_per_fte": "75",
        "sibling_group": "2",
        "in_care_and_on_plan": "3",
        "out_of_area": "1",
        "care_proceedings": "2",
        "recently_accommodated": "1",
        "placement_disruption": "2",
        "local_postcode_prefixes": "dl1, DL2 ",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    saved = CaseloadSettings.current()
    assert (saved.local_target_per_fte, saved.sibling_group) == (75, 2)
    assert saved.local_postcode_prefixes == "DL1, DL2"
    assert saved.updated_by == people["mandy"]
    assert "Target 75" in client.get(reverse("reporting:dashboard_service")).text
    bad = client.post(url, data | {"local_target_per_fte": "0"})
    assert bad.status_code == 200 and "There is a problem" in bad.text


def _queries(client, url: str) -> int:
    """Queries of the page with its figures worked out (nothing kept: ``core.kept``)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _caseload(people, org, size: int) -> None:
    for n in range(size):
        child = child_of(people, org, iro="alice" if n % 2 else "bob")
        in_care(child, people, date(2026, 1, 5) if n % 3 else date(2026, 4, 1))
        if n % 4 == 0:
            on_plan(child, people, date(2026, 2, 2))


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("mandy", "/"),
        ("alice", "/reports/dashboard/iro/"),
        ("betty", "/reports/dashboard/scheduling/"),
        ("mandy", "/reports/dashboard/overdue-reviews/"),
        ("mandy", "/reports/dashboard/caseload/"),
        ("mandy", "/reports/dashboard/timeliness/?measure=cla_reviews&period=ytd"),
    ],
)
def test_query_counts_do_not_grow_with_the_caseload(client, people, org, persona, url):
    client = signed_in(client, people[persona])
    _caseload(people, org, 2)
    small = _queries(client, url)
    _caseload(people, org, 18)
    assert _queries(client, url) == small


def test_audit_completion_and_ratings_drill_to_their_children(client, people, org):
    from reporting.dashboards.audits import audit_figures
    from reporting.dashboards.common import dashboard_periods
    from tests.audits.factories import completed_audit
    from tests.reporting.dashboard_factories import hold

    audited = child_of(people, org, first_name="Ada", last_name="Audited")
    review = hold(in_care(audited, people, date(2026, 4, 13)), people["alice"], date(2026, 5, 6))
    completed_audit(people["alice"], review=review)
    missed = child_of(people, org, first_name="Nia", last_name="Notaudited")
    hold(in_care(missed, people, date(2026, 4, 13)), people["alice"], date(2026, 5, 13))
    figures = audit_figures(
        children=children_visible_to(people["mandy"]), periods=dashboard_periods(TODAY)
    )
    # This month: 2 reviews held, 1 with a completed audit = 50.0%; the audit is green.
    month = figures["month"]
    assert (month.meetings, month.audited, month.completion_pct) == (2, 1, 50.0)
    assert (month.completed, month.rag) == (1, {"red": 0, "amber": 0, "green": 1})
    client = signed_in(client, people["mandy"])
    url = reverse("reporting:drill_audits")
    unaudited = client.get(f"{url}?period=month&unaudited=1").text
    assert "Nia Notaudited" in unaudited and "Ada Audited" not in unaudited
    green = client.get(f"{url}?period=month&rating=green").text
    assert "Ada Audited" in green and "Nia Notaudited" not in green
    assert "Completed audits rated green" in green


# Figures kept for a short while (issue 11, ``iro_service.core.kept``) -----------------------


def test_kept_caseload_is_served_again_without_working_it_out(client, people, overdue_child):
    client = signed_in(client, people["alice"])
    url = reverse("reporting:dashboard_iro")
    first = client.get(url).text
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).text
    main = slice(first.index("<main"), first.index("</main>"))
    assert again[main] == first[main]  # the page around it differs only in its CSP nonce
    assert not any("reviews_review" in query["sql"] for query in queries)
    assert "These deadlines were worked out at 12:00pm" in first
    assert "up to a minute to show" in first


def test_a_change_by_someone_else_shows_when_the_kept_figures_expire(
    client, people, org, overdue_child
):
    client = signed_in(client, people["alice"])
    url = reverse("reporting:dashboard_iro")
    assert "Nina New" not in client.get(url).text
    in_care(child_of(people, org, first_name="Nina", last_name="New"), people, TODAY)
    assert "Nina New" not in client.get(url).text  # kept: worked out less than a minute ago
    later = timezone.make_aware(datetime.combine(TODAY, time(12, 1, 1)))
    with time_machine.travel(later, tick=False):
        assert "Nina New" in client.get(url).text


def test_update_now_and_the_users_own_changes_work_the_figures_out_at_once(
    client, people, org, overdue_child
):
    client = signed_in(client, people["alice"])
    url = reverse("reporting:dashboard_iro")
    client.get(url)
    in_care(child_of(people, org, first_name="Nina", last_name="New"), people, TODAY)
    assert "Nina New" in client.get(url + "?fresh=1").text
    in_care(child_of(people, org, first_name="Omar", last_name="Other"), people, TODAY)
    assert "Omar Other" not in client.get(url).text
    # Any successful POST the user makes stamps their session: everything kept for them is
    # worked out again, in every web process.
    assert client.post(reverse("reminders:acknowledge"), {"all": "1"}).status_code == 302
    assert "Omar Other" in client.get(url).text


def test_kept_figures_belong_to_one_user(client, people, overdue_child):
    url = reverse("reporting:dashboard_iro")
    assert "Olive Overdue" in signed_in(client, people["alice"]).get(url).text
    client.logout()
    assert "Olive Overdue" not in signed_in(client, people["bob"]).get(url).text
