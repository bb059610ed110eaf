"""Audit templates, audits, answers and recommendations (DOMAIN.md section 8).

A template (``cla_review``, ``cp_conference``) has numbered versions. A version is edited as
a draft and then published; a published version never changes, so a completed audit keeps
the questions it was answered against. Question ``code`` is stable across versions: the
themes and the annual report (``audit_question_yes_pct``) group answers by it.

Each answer maps to green, amber or red per question; the overall rating follows the
decided default of DOMAIN.md ("audit rating"): red if any key question is red, amber if
any answer is amber or a non-key question is red, else green. The IRO may override the
suggested rating with a reason; both are stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NA = "na", "Not applicable"


class AuditTemplate(models.Model):
    """A checklist run before a review (``cla``) or a conference (``cp``)."""

    class Kind(models.TextChoices):
        CLA = "cla", "Children in care review"
        CP = "cp", "Child protection conference"

    class Expect(models.TextChoices):
        """Which meetings expect an audit (issue 7 "When"): all, a sample, or by a rule."""

        ALL = "all", "Every meeting"
        PERCENT = "percent", "A sample: a percentage of meetings"
        RULE = "rule", "Meetings that meet a rule"
        NONE = "none", "None (audits are optional)"

    class ExpectRule(models.TextChoices):
        FIRST = (
            "first",
            "The first meeting: the first review of a period of care, or an initial conference",
        )
        LATE = "late", "Meetings not held in timescale"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    description = models.TextField(blank=True)
    expect = models.CharField(max_length=8, choices=Expect.choices, default=Expect.ALL)
    sample_percent = models.PositiveSmallIntegerField(
        "sample percentage", default=100, help_text="Used when a sample is expected."
    )
    expect_rule = models.CharField(
        max_length=8, choices=ExpectRule.choices, blank=True, help_text="Used when a rule applies."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sample_percent__lte=100), name="audit_sample_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditTemplateVersion(models.Model):
    """One version of a template's questions. ``published_at`` null means a draft being
    edited; once set, the version and its questions never change."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField("what changed", blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_audit_version_number"),
            models.UniqueConstraint(
                fields=["template"],
                condition=Q(published_at__isnull=True),
                name="one_draft_audit_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AuditQuestion(models.Model):
    """A question of one version. ``prefill`` names the evidence the record can offer
    (see ``audits.prefill.PREFILLERS``); blank means the IRO answers unaided."""

    version = models.ForeignKey(
        AuditTemplateVersion, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(max_length=60)
    section = models.CharField(max_length=120, blank=True)
    text = models.CharField(max_length=300)
    help = models.TextField(blank=True)
    is_key = models.BooleanField("key question", default=False)
    allow_na = models.BooleanField("may be not applicable", default=True)
    rag_yes = models.CharField(max_length=5, choices=Rag.choices, default=Rag.GREEN)
    rag_partly = models.CharField(max_length=5, choices=Rag.choices, default=Rag.AMBER)
    rag_no = models.CharField(max_length=5, choices=Rag.choices, default=Rag.RED)
    prefill = models.CharField(max_length=40, blank=True)
    basis = models.CharField("rule or basis", max_length=120, blank=True)
    ordering = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "ordering", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_audit_question_code")
        ]

    def __str__(self) -> str:
        return self.text

    def rag_for(self, answer: str) -> str:
        """The RAG this question gives an answer; "" for not applicable or unanswered."""
        return {
            Answer.YES: self.rag_yes,
            Answer.PARTLY: self.rag_partly,
            Answer.NO: self.rag_no,
        }.get(answer, "")


class Audit(models.Model):
    """One audit of one child's review or conference (or of the child alone)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    version = models.ForeignKey(
        AuditTemplateVersion, on_delete=models.PROTECT, related_name="audits"
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="audits")
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    conference = models.ForeignKey(
        "conferences.Conference",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_on = models.DateField(null=True, blank=True, db_index=True)
    suggested_rating = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    rating = models.CharField(max_length=5, choices=Rag.choices, blank=True, db_index=True)
    override_reason = models.TextField("reason for changing the rating", blank=True)
    summary = models.TextField("overall comment", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=True) | Q(conference__isnull=True),
                name="audit_of_one_meeting",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(completed_on__isnull=False) & ~Q(rating="")),
                name="completed_audit_has_date_and_rating",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(review__isnull=False),
                name="one_audit_per_review",
            ),
            models.UniqueConstraint(
                fields=["conference"],
                condition=Q(conference__isnull=False),
                name="one_audit_per_conference",
            ),
        ]
        indexes = [models.Index(fields=["auditor", "status"])]

    def __str__(self) -> str:
        return f"Audit {self.reference}"

    @property
    def reference(self) -> str:
        return f"A{self.pk:06d}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_overridden(self) -> bool:
        return bool(self.rating) and self.rating != self.suggested_rating


class AuditAnswer(models.Model):
    """One answer. ``suggested_answer`` and ``evidence`` are what the record offered when the
    audit was started; ``changed_from_suggestion`` records that the IRO chose otherwise."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=6, choices=Answer.choices, blank=True)
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    comment = models.TextField(blank=True)
    suggested_answer = models.CharField(max_length=6, choices=Answer.choices, blank=True)
    evidence = models.CharField(max_length=400, blank=True)
    changed_from_suggestion = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question__ordering", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} of audit {self.audit_id}"


class AuditRecommendation(models.Model):
    """A recommendation to the social worker or team manager, tracked to done; the
    reminders app prompts the owner as the due date nears and when it passes."""

    class OwnerRole(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        TEAM_MANAGER = "team_manager", "Team manager"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="recommendations")
    question = models.ForeignKey(
        AuditQuestion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_recommendations"
    )
    owner_role = models.CharField(max_length=16, choices=OwnerRole.choices)
    due_date = models.DateField(db_index=True)
    status = models.CharField(
        max_length=6, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    done_on = models.DateField(null=True, blank=True)
    done_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="recommendation_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} of audit {self.audit_id}"


class AuditEvent(models.Model):
    """What happened to an audit and why (ARCHITECTURE.md "Workflows": event rows)."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        RATING_OVERRIDDEN = "overridden", "Rating changed by the IRO"
        RECOMMENDATION_ADDED = "rec_added", "Recommendation added"
        RECOMMENDATION_DONE = "rec_done", "Recommendation done"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} audit {self.audit_id}"
