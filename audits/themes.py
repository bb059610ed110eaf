"""Themes of audits for a period, per template (issue 7 "Themes"; the annual report's
``audit_question_yes_pct``, ``audit_rag`` and ``audit_completion_pct`` read the same way).

- % yes per question (by its stable code): answers "yes" among answers that are not "not
  applicable", over audits completed in the period.
- RAG distribution: completed audits by their final rating (after any override).
- Completion rate: of the meetings held in the period that expected an audit (the
  template's rule), the % with a completed audit of this template linked to them.
- The same by team, service area or IRO, and the previous period of the same length beside.

Every figure is an aggregate query: the number of queries does not grow with rows.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from audits.expectations import expected_conferences, expected_reviews
from audits.models import Answer, Audit, AuditAnswer, AuditQuestion, AuditTemplate, Rag
from children.selectors import children_visible_to
from conferences.models import Conference
from people.models import Team, User
from reviews.models import Review

# The dates a period may span: a previous period is always computable.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
BY_CHOICES = [("team", "Team"), ("service", "Service area"), ("iro", "IRO")]
_AUDIT_KEYS = {"team": "child__team_id", "service": "child__team__parent_id", "iro": "auditor_id"}
_MEETING_KEYS = {"team": "child__team_id", "service": "child__team__parent_id", "iro": "chair_id"}


@dataclass(frozen=True)
class ThemeFilters:
    team_id: int | None = None
    service_id: int | None = None
    iro_id: int | None = None


def pct(part: int, whole: int) -> float | None:
    """A percentage to one decimal place; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class QuestionFigures:
    code: str
    text: str
    is_key: bool
    yes: int = 0
    partly: int = 0
    no: int = 0
    na: int = 0
    previous_yes_pct: float | None = None

    @property
    def answered(self) -> int:
        """Answers that count: not applicable is left out."""
        return self.yes + self.partly + self.no

    @property
    def yes_pct(self) -> float | None:
        return pct(self.yes, self.answered)


@dataclass(frozen=True)
class Completion:
    expected: int
    audited: int

    @property
    def pct(self) -> float | None:
        return pct(self.audited, self.expected)


@dataclass(frozen=True)
class GroupFigures:
    key: int | None
    label: str
    completed: int
    red: int
    amber: int
    green: int
    completion: Completion


@dataclass
class PeriodFigures:
    start: date
    end: date
    rag: dict[str, int]
    completion: Completion
    yes: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @property
    def completed(self) -> int:
        return sum(self.rag.values())

    def rag_pct(self, rating: str) -> float | None:
        return pct(self.rag.get(rating, 0), self.completed)


@dataclass
class Themes:
    template: AuditTemplate
    current: PeriodFigures
    previous: PeriodFigures
    questions: list[QuestionFigures]
    by: str
    groups: list[GroupFigures]


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def _audits(user: User, template: AuditTemplate, start: date, end: date, f: ThemeFilters):
    audits = Audit.objects.filter(
        child__in=children_visible_to(user),
        version__template=template,
        status=Audit.Status.COMPLETED,
        completed_on__gte=start,
        completed_on__lte=end,
    )
    for key, value in (
        ("child__team_id", f.team_id),
        ("child__team__parent_id", f.service_id),
        ("auditor_id", f.iro_id),
    ):
        if value:
            audits = audits.filter(**{key: value})
    return audits


def _meetings(user: User, template: AuditTemplate, start: date, end: date, f: ThemeFilters):
    """Meetings held in the period that expected an audit, each marked ``_audited``."""
    visible = children_visible_to(user)
    completed = Audit.objects.filter(status=Audit.Status.COMPLETED, version__template=template)
    if template.kind == AuditTemplate.Kind.CLA:
        meetings: QuerySet = Review.objects.filter(
            child__in=visible, status="held", held_date__gte=start, held_date__lte=end
        )
        meetings = expected_reviews(template, meetings, end)
        audited = Exists(completed.filter(review=OuterRef("pk")))
    else:
        meetings = Conference.objects.filter(
            child__in=visible, status="held", held_on__gte=start, held_on__lte=end
        )
        meetings = expected_conferences(template, meetings, end)
        audited = Exists(completed.filter(conference=OuterRef("pk")))
    for key, value in (
        ("child__team_id", f.team_id),
        ("child__team__parent_id", f.service_id),
        ("chair_id", f.iro_id),
    ):
        if value:
            meetings = meetings.filter(**{key: value})
    return meetings.annotate(_audited=audited)


def _rag_counts(audits: QuerySet) -> dict[str, int]:
    rag = {rating: 0 for rating in Rag.values}
    for row in audits.order_by().values("rating").annotate(n=Count("pk")):
        rag[row["rating"]] = row["n"]
    return rag


def _completion(meetings: QuerySet) -> Completion:
    totals = meetings.aggregate(expected=Count("pk"), audited=Count("pk", filter=Q(_audited=True)))
    return Completion(totals["expected"], totals["audited"])


def _yes_counts(audits: QuerySet) -> dict[str, tuple[int, int, int, int]]:
    rows = (
        AuditAnswer.objects.filter(audit__in=audits)
        .order_by()
        .values("question__code")
        .annotate(**{value: Count("pk", filter=Q(answer=value)) for value in Answer.values})
    )
    return {
        row["question__code"]: (row["yes"], row["partly"], row["no"], row["na"]) for row in rows
    }


def period_figures(
    *, user: User, template: AuditTemplate, start: date, end: date, filters: ThemeFilters
) -> PeriodFigures:
    audits = _audits(user, template, start, end, filters)
    return PeriodFigures(
        start=start,
        end=end,
        rag=_rag_counts(audits),
        completion=_completion(_meetings(user, template, start, end, filters)),
        yes=_yes_counts(audits),
    )


def _questions(
    template: AuditTemplate, current: PeriodFigures, previous: PeriodFigures
) -> list[QuestionFigures]:
    """Every question code of the template, with the wording of its latest version."""
    latest: dict[str, AuditQuestion] = {}
    for question in AuditQuestion.objects.filter(version__template=template).order_by(
        "version__number", "ordering"
    ):
        latest[question.code] = question
    rows = []
    for code, question in sorted(latest.items(), key=lambda item: item[1].ordering):
        yes, partly, no, na = current.yes.get(code, (0, 0, 0, 0))
        before = previous.yes.get(code, (0, 0, 0, 0))
        rows.append(
            QuestionFigures(
                code=code,
                text=question.text,
                is_key=question.is_key,
                yes=yes,
                partly=partly,
                no=no,
                na=na,
                previous_yes_pct=pct(before[0], sum(before[:3])),
            )
        )
    return rows


def _labels(by: str, keys: set[int]) -> dict[int, str]:
    if by == "iro":
        return {user.pk: str(user) for user in User.objects.filter(pk__in=keys)}
    return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))


def _groups(
    *, user: User, template: AuditTemplate, start: date, end: date, f: ThemeFilters, by: str
) -> list[GroupFigures]:
    audit_key, meeting_key = _AUDIT_KEYS[by], _MEETING_KEYS[by]
    audits = {
        row[audit_key]: row
        for row in _audits(user, template, start, end, f)
        .order_by()
        .values(audit_key)
        .annotate(
            completed=Count("pk"),
            **{rating: Count("pk", filter=Q(rating=rating)) for rating in Rag.values},
        )
    }
    meetings = {
        row[meeting_key]: row
        for row in _meetings(user, template, start, end, f)
        .order_by()
        .values(meeting_key)
        .annotate(expected=Count("pk"), audited=Count("pk", filter=Q(_audited=True)))
    }
    keys = set(audits) | set(meetings)
    labels = _labels(by, {key for key in keys if key is not None})
    groups = []
    for key in keys:
        a, m = audits.get(key, {}), meetings.get(key, {})
        groups.append(
            GroupFigures(
                key=key,
                label=labels.get(key, "Not recorded") if key is not None else "Not recorded",
                completed=a.get("completed", 0),
                red=a.get("red", 0),
                amber=a.get("amber", 0),
                green=a.get("green", 0),
                completion=Completion(m.get("expected", 0), m.get("audited", 0)),
            )
        )
    return sorted(groups, key=lambda group: group.label)


def themes_for_user(
    *,
    user: User,
    template: AuditTemplate,
    start: date,
    end: date,
    filters: ThemeFilters | None = None,
    by: str = "team",
) -> Themes:
    """The themes page and API figures: a fixed number of queries, whatever the rows."""
    filters = filters or ThemeFilters()
    by = by if by in _AUDIT_KEYS else "team"
    current = period_figures(user=user, template=template, start=start, end=end, filters=filters)
    before_start, before_end = previous_period(start, end)
    previous = period_figures(
        user=user, template=template, start=before_start, end=before_end, filters=filters
    )
    return Themes(
        template=template,
        current=current,
        previous=previous,
        questions=_questions(template, current, previous),
        by=by,
        groups=_groups(user=user, template=template, start=start, end=end, f=filters, by=by),
    )
