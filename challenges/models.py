"""The Issues Resolution Process (DOMAIN.md section 7; rules DR-1 .. DR-4).

A ``Challenge`` is raised by an IRO about one child, a sibling group or a service-level
cohort. Each stage it reaches is a ``ChallengeStage`` row with its responder and its stored,
indexed response due date; every transition is a ``ChallengeEvent``; approvals and Cafcass
referrals are rows, never booleans. The lifecycle is in ``challenges.workflow``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from challenges import workflow

USER = settings.AUTH_USER_MODEL


class ChallengeReason(models.Model):
    """One reason for challenge from the configurable list (DOMAIN.md 7.3)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class StageConfig(models.Model):
    """Who answers at a stage, how long they have and whether escalation into the stage
    needs the IRO service manager's approval (DOMAIN.md "Decided defaults": stage owners
    and days may be changed). ``response_days`` blank means the rule book's DR-1 (informal)
    or DR-2 (formal) amount, which an administrator changes with an effective date."""

    class OwnerLevel(models.TextChoices):
        TEAM_MANAGER = "team_manager", "Team manager"
        HEAD_OF_SERVICE = "head_of_service", "Head of service"
        DIRECTOR = "director", "Director"
        NAMED_USER = "named_user", "A named person"
        NONE = "none", "Nobody in the local authority (Cafcass)"

    stage = models.CharField(
        max_length=12, unique=True, choices=list(workflow.STAGE_LABELS.items())
    )
    owner_level = models.CharField(max_length=16, choices=OwnerLevel.choices)
    owner_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_days = models.PositiveSmallIntegerField(null=True, blank=True)
    needs_approval = models.BooleanField(
        default=False, help_text="Escalation into this stage needs the IRO service manager."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return workflow.STAGE_LABELS[self.stage]


class Challenge(models.Model):
    """An issue an IRO has raised about a child's plan or the service (DR-1 .. DR-4)."""

    class Scope(models.TextChoices):
        CHILD = "child", "One child"
        SIBLINGS = "siblings", "A sibling group"
        SERVICE = "service", "Service-level (many children)"

    class Status(models.TextChoices):
        AWAITING_RESPONSE = workflow.AWAITING_RESPONSE, "Awaiting response"
        AWAITING_IRO = workflow.AWAITING_IRO, "Awaiting the IRO's decision"
        AWAITING_APPROVAL = workflow.AWAITING_APPROVAL, "Awaiting approval"
        RESOLVED = workflow.RESOLVED, "Resolved"
        WITHDRAWN = workflow.WITHDRAWN, "Withdrawn"
        CLOSED = workflow.CLOSED, "Closed after Cafcass"

    class Category(models.TextChoices):
        CLA = "cla", "Child in care"
        CP = "cp", "Child protection"
        SERVICE = "service", "Service-level"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.CHILD)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.OTHER)
    children = models.ManyToManyField("children.Child", related_name="challenges")
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.ManyToManyField(ChallengeReason, related_name="challenges")
    what_is_wrong = models.TextField()
    impact_on_child = models.TextField()
    what_must_happen = models.TextField()
    happen_by = models.DateField(null=True, blank=True)
    child_view = models.TextField(blank=True)
    source = models.CharField(max_length=60, blank=True, db_index=True)
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(db_index=True)
    stage = models.CharField(
        max_length=12, choices=list(workflow.STAGE_LABELS.items()), default=workflow.INFORMAL
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_RESPONSE, db_index=True
    )
    current = models.ForeignKey(
        "ChallengeStage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # DR-3: the whole formal process within 20 WD of formal stage 1 (or the first formal
    # stage reached) being raised.
    formal_start = models.DateField(null=True, blank=True)
    formal_due = models.DateField(null=True, blank=True, db_index=True)
    finished_on = models.DateField(null=True, blank=True, db_index=True)
    outcome = models.TextField(blank=True)
    what_changed = models.TextField("what changed for the child", blank=True)
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[children, reasons])

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["raised_by", "status"])]

    def __str__(self) -> str:
        return self.reference or f"Challenge {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATUSES

    @property
    def stage_label(self) -> str:
        return workflow.STAGE_LABELS[self.stage]


class ChallengeStage(models.Model):
    """One stage the challenge reached: who answers, by when (DR-1/DR-2), and the answer.

    ``response_due`` is stored and indexed so the reminders scan reads a column; it moves
    with bank holidays and local rule changes while the stage is open (a DueDateSource),
    and is never moved by anything else. ``response_rule`` is "DR-1" or "DR-2", with
    ":N" when the stage's settings override the rule book's amount; blank for Cafcass.
    """

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=12, choices=list(workflow.STAGE_LABELS.items()))
    responder = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField()
    response_rule = models.CharField(max_length=16, blank=True)
    response_due = models.DateField(null=True, blank=True, db_index=True)
    escalation_reason = models.TextField(blank=True)
    skipped_reason = models.TextField(blank=True)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    reassigned_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "id"]
        indexes = [models.Index(fields=["responder", "response_due"])]

    def __str__(self) -> str:
        return f"{workflow.STAGE_LABELS[self.stage]} of {self.challenge}"

    @property
    def label(self) -> str:
        return workflow.STAGE_LABELS[self.stage]


class RecoveryAction(models.Model):
    """An action in the recovery plan agreed at a stage, tracked like a review decision."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="recovery_actions"
    )
    stage = models.ForeignKey(ChallengeStage, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Action due {self.due_date:%d/%m/%Y}"


class CafcassReferral(models.Model):
    """A referral to Cafcass (CA1989 s25B(3); DR-4): at any stage, or at the same time as
    a formal stage (``concurrent``). The child's wishes are recorded (DOMAIN.md 7.1)."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        REFERRED = "referred", "Referred"
        DECLINED = "declined", "Not approved"
        CONCLUDED = "concluded", "Cafcass has responded"

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="cafcass_referrals"
    )
    concurrent = models.BooleanField(default=True)
    referred_on = models.DateField()
    reason = models.TextField()
    what_was_sent = models.TextField()
    child_wishes = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REFERRED)
    cafcass_response = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"Cafcass referral of {self.referred_on:%d/%m/%Y}"


class Approval(models.Model):
    """The IRO service manager's decision on an escalation or a Cafcass referral.
    Nobody decides their own request (a constraint backs the service's check)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="approvals")
    target_stage = models.CharField(max_length=12, choices=list(workflow.STAGE_LABELS.items()))
    referral = models.ForeignKey(
        CafcassReferral, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    skipped_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="approval_not_by_requester",
                violation_error_message="Nobody can approve their own request.",
            )
        ]

    def __str__(self) -> str:
        return f"Approval for {workflow.STAGE_LABELS[self.target_stage]}"


class ChallengeEvent(models.Model):
    """One transition: who, when, from, to, why. Never edited or deleted (history is kept
    all the same, like every other row here)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    summary = models.CharField(max_length=200)
    why = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} on {self.challenge_id}"


# Challenge clinics live in their own module; imported here so Django registers them.
from challenges.clinic_models import (  # noqa: E402
    Clinic,
    ClinicAction,
    ClinicEvent,
    ClinicInvitee,
    ClinicItem,
)

__all__ = [
    "Approval",
    "CafcassReferral",
    "Challenge",
    "ChallengeEvent",
    "ChallengeReason",
    "ChallengeStage",
    "Clinic",
    "ClinicAction",
    "ClinicEvent",
    "ClinicInvitee",
    "ClinicItem",
    "RecoveryAction",
    "StageConfig",
]
