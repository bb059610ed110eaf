"""The review tables' rows, written in Python (``reviews.templatetags.review_tables``), are
the HTML the template loops they replaced wrote, byte for byte."""

from datetime import date, datetime, time

import pytest
from django.template import engines
from django.utils import timezone

from children.models import Child
from people.models import User
from reminders.calendars import Meeting, busy
from reviews.models import Review
from reviews.selectors import QueueRow
from reviews.templatetags.review_tables import queue_rows, review_rows, status_badges

# The loops of reviews/_review_table.html and reviews/schedule_queue.html before issue 11.
REVIEW_LOOP = """{% for review in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'reviews:detail' review.pk %}">{{ review.child.full_name }}</a> <span class="govuk-hint govuk-!-display-inline">{{ review.child.la_child_id }}</span></td>
      {% if held %}
      <td class="govuk-table__cell">{{ review.held_date|date:"j M Y" }}</td>
      <td class="govuk-table__cell">{% if due_label == "Decisions due" %}{{ review.decisions_due|date:"j M Y" }}{% else %}{{ review.record_due|date:"j M Y" }}{% endif %}</td>
      {% else %}
      <td class="govuk-table__cell">{{ review.due_date|date:"j M Y" }}</td>
      <td class="govuk-table__cell">{{ review.scheduled_date|date:"j M Y"|default:"Not booked" }}</td>
      {% endif %}
      <td class="govuk-table__cell">{% include "reviews/_status.html" %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

QUEUE_LOOP = """{% for row in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{ row.review.due_date|date:"j M Y" }}</td>
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'reviews:detail' row.review.pk %}">{{ row.review.child.full_name }}</a></td>
      <td class="govuk-table__cell">{{ row.review.child.iro|default:"Not allocated" }}</td>
      <td class="govuk-table__cell">{% for meeting in row.other_meetings %}{{ meeting.reference }}{% if meeting.time_known %} at {{ meeting.starts|time:"H:i" }}{% else %}, no time set{% endif %}{% if not forloop.last %}<br>{% endif %}{% empty %}None{% endfor %}</td>
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'reviews:book' row.review.pk %}">Book<span class="govuk-visually-hidden"> the review of {{ row.review.child.full_name }}</span></a></td>
    </tr>
  {% endfor %}"""  # noqa: E501


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def review(pk: int, **fields: object) -> Review:
    child = Child(pk=pk + 1000, first_name="Zoë", last_name="O'Brien & <Co>", la_child_id="C<1>")
    return Review(pk=pk, child=child, **fields)


REVIEWS = [
    review(1, status="due", kind="statutory", due_date=date(2026, 3, 4)),
    review(22, status="scheduled", kind="extra", due_date=date(2026, 12, 31)),
    review(
        333,
        status="held",
        kind="statutory",
        held_date=date(2026, 1, 9),
        record_due=date(2026, 1, 30),
        decisions_due=date(2026, 1, 14),
    ),
    review(4444, status="held", kind="extra", held_date=date(2026, 2, 1)),
]
REVIEWS[1].scheduled_date = date(2027, 1, 2)


@pytest.mark.parametrize("status", ["due", "scheduled", "held", "adjourned", "cancelled"])
@pytest.mark.parametrize("kind", ["statutory", "extra"])
def test_the_status_badges_are_those_of_the_status_template(status, kind):
    one = Review(status=status, kind=kind)
    assert status_badges(one) + "\n" == render('{% include "reviews/_status.html" %}', review=one)


@pytest.mark.parametrize(
    ("held", "due_label"),
    [(False, ""), (True, "Record due"), (True, "Decisions due")],
)
def test_review_rows_are_the_template_loops(held, due_label):
    context = {"rows": REVIEWS, "held": held, "due_label": due_label}
    assert review_rows(REVIEWS, held, due_label) == render(REVIEW_LOOP, **context)


def test_queue_rows_are_the_template_loops():
    zone = timezone.get_current_timezone()
    at_ten = Meeting(
        uid="review-9",
        reference="Review R000009",
        starts=datetime.combine(date(2026, 7, 1), time(10, 5), tzinfo=zone),
    )
    no_time = Meeting(
        uid="review-8",
        reference="Review R000008",
        starts=datetime.combine(date(2026, 7, 1), time(9), tzinfo=zone),
        time_known=False,
    )
    with_iro, without_iro = review(5, due_date=date(2026, 7, 1)), review(6, due_date=None)
    with_iro.child.iro = User(first_name="Amy", last_name="O'Neil <IRO>", email="a@x.org")
    rows = [
        QueueRow(with_iro, [no_time, at_ten, busy(at_ten)]),
        QueueRow(without_iro, []),
        QueueRow(review(7, due_date=date(2026, 7, 2)), [at_ten]),
    ]
    assert queue_rows(rows) == render(QUEUE_LOOP, rows=rows)
