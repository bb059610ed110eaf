"""The challenge tables' rows, written in Python (``challenges.templatetags.challenge_tables``),
are the HTML the template loop they replaced wrote, byte for byte."""

from datetime import date

import pytest
from django.template import engines

from challenges import workflow
from challenges.models import Challenge, ChallengeReason, ChallengeStage
from challenges.templatetags.challenge_tables import challenge_rows, deadline_badge
from children.models import Child
from people.models import User
from timescales.rules import Assessment, DeadlineStatus

# The loop of challenges/_table.html before issue 11: the children and reasons came from
# related managers (prefetched), the badge from challenges/_deadline.html.
LOOP = """{% for challenge in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'challenges:detail' challenge.pk %}">{{ challenge.reference }}</a></td>
      <td class="govuk-table__cell">{% include "challenges/_children.html" %}</td>
      <td class="govuk-table__cell">{% for reason in challenge.reasons.all %}{{ reason.label }}{% if not forloop.last %}; {% endif %}{% endfor %}</td>
      <td class="govuk-table__cell">{{ challenge.stage_label }}</td>
      <td class="govuk-table__cell">{{ challenge.current.responder|default:"" }}</td>
      <td class="govuk-table__cell">{% if challenge.status == "awaiting_response" and challenge.current.response_due %}{{ challenge.current.response_due|date:"j M Y" }} {% include "challenges/_deadline.html" %}{% endif %}</td>
      <td class="govuk-table__cell">{{ challenge.get_status_display }}</td>
    </tr>
  {% endfor %}"""  # noqa: E501

KIDS = [
    Child(pk=1, first_name="Zoë", last_name="O'Brien & <Co>"),
    Child(pk=2, first_name="", last_name="Smith"),
]
REASONS = [ChallengeReason(label="Drift & delay"), ChallengeReason(label="Health")]
TERRY = User(first_name="Terry", last_name="<Manager>", email="t@x.org")
DEADLINES = [
    None,
    Assessment(DeadlineStatus.OVERDUE, 3),
    Assessment(DeadlineStatus.OVERDUE, 1),
    Assessment(DeadlineStatus.DUE_SOON),
    Assessment(DeadlineStatus.UPCOMING),
    Assessment(DeadlineStatus.MET),
]


class Related:
    """A prefetched related manager, as the template loop read children and reasons."""

    def __init__(self, items: list) -> None:
        self.items = items

    def all(self) -> list:
        return self.items


class Shown:
    """A challenge as the template loop saw it (related managers) and as the rows see it
    (the selectors' arrays ``child_names`` and ``reason_labels``)."""

    def __init__(self, challenge: Challenge, kids: list[Child], reasons: list[ChallengeReason]):
        self._challenge = challenge
        self.children, self.reasons = Related(kids), Related(reasons)
        self.child_names = [f"{kid.first_name} {kid.last_name}" for kid in kids]
        self.reason_labels = [reason.label for reason in reasons]
        self.deadline: Assessment | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self._challenge, name)


def shown(pk: int, *, kids=KIDS, reasons=REASONS, current=True, **fields) -> Shown:
    challenge = Challenge(pk=pk, reference=f"CH-{pk:05d}", **fields)
    if current:
        challenge.current = ChallengeStage(
            stage=challenge.stage, responder=TERRY, response_due=date(2026, 2, 27)
        )
    return Shown(challenge, kids, reasons)


def rows() -> list[Shown]:
    made = [
        shown(1, status=workflow.AWAITING_RESPONSE, stage=workflow.INFORMAL),
        shown(2, kids=KIDS[:1], scope="service", status=workflow.AWAITING_IRO, stage="stage_1"),
        shown(3, kids=KIDS, scope="service", reasons=[], status=workflow.RESOLVED),
        shown(4, kids=[], current=False, status=workflow.AWAITING_RESPONSE, stage="stage_2"),
        shown(5, kids=KIDS[1:], status=workflow.AWAITING_APPROVAL, stage="stage_3"),
    ]
    made[4]._challenge.reference = None
    for pk, deadline in enumerate(DEADLINES, start=10):
        row = shown(pk, status=workflow.AWAITING_RESPONSE, stage="stage_1")
        row.deadline = deadline
        made.append(row)
    return made


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("deadline", DEADLINES)
def test_the_badge_is_that_of_the_deadline_template(deadline):
    challenge = Challenge()
    challenge.deadline = deadline
    ours = deadline_badge(deadline)
    assert ours == render('{% include "challenges/_deadline.html" %}', challenge=challenge)


def test_challenge_rows_are_the_template_loops():
    shown_rows = rows()
    assert challenge_rows(shown_rows) == render(LOOP, rows=shown_rows)
