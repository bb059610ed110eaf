"""My reviews, the schedule queue, the decision tracker and the API list do not issue more
queries as reviews grow (1 vs 50)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Review
from tests.factories import ChildFactory
from tests.reviews.conftest import put_in_care

pytestmark = pytest.mark.django_db


def count_queries(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_child_with_reviews(org, people, index: int) -> None:
    """A child in care of alice: one review held (decision open, not circulated), the
    next one due soon and booked for a clash-prone date."""
    child = ChildFactory(team=org["team"], iro=people["alice"])
    review = put_in_care(child, people["betty"], date(2025, 1, 6))
    held = services.review_record(
        review=review,
        values={"held_date": timezone.localdate() - timedelta(days=1), "participation_code": "PN1"},
        version=review.version,
        by=people["alice"],
    )
    services.decision_add(
        review=held,
        text="Do it",
        owner=people["sarah"],
        owner_role="SW",
        due_date=held.held_date,
        by=people["alice"],
    )
    following = Review.objects.get(child=child, status="due")
    if index % 2:
        services.review_schedule(
            review=following,
            on=timezone.localdate() + timedelta(days=7),
            at=None,
            venue="Hall",
            online=False,
            confirm_clash=True,
            by=people["betty"],
        )
    else:
        following.due_date = timezone.localdate() + timedelta(days=7)
        following.save(update_fields=["due_date"])


@pytest.mark.parametrize(
    "url_name", ["reviews:mine", "reviews:schedule_queue", "reviews:decisions", "review-list"]
)
def test_review_lists_do_not_grow_with_reviews(child, org, people, url_name):
    add_child_with_reviews(org, people, 0)
    url = reverse(url_name)
    one = count_queries(people["alice"], url)
    for index in range(1, 50):
        add_child_with_reviews(org, people, index)
    fifty = count_queries(people["alice"], url)
    assert one == fifty
    if url_name != "review-list":
        assert count_queries(people["betty"], reverse("reviews:schedule_queue")) <= one + 2


def test_schedule_queue_is_shown_a_page_at_a_time(child, org, people, monkeypatch):
    """Across a large authority the queue runs to thousands: 50 to a page (2 here)."""
    monkeypatch.setattr("reviews.selectors.QUEUE_PAGE_SIZE", 2)
    for index in (0, 2, 4):
        add_child_with_reviews(org, people, index)
    client = Client()
    client.force_login(people["betty"])
    url = reverse("reviews:schedule_queue") + "?weeks=4"
    first = client.get(url).text
    second = client.get(url + "&page=2").text
    assert first.count(">Book<span") == 2 and second.count(">Book<span") == 1
    assert "3 reviews due by the end of the next 4 weeks with no date" in first
    assert "(showing 1 to 2)" in first and "(showing 3 to 3)" in second
    assert 'href="?weeks=4&amp;page=2"' in first  # the filter is kept
