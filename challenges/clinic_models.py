"""Challenge clinics (issue 6, "Challenge clinics"): the IRO service manager holds a panel
with at least one head of service on chosen challenges or on a cohort of children (the
filters of ``challenges.cohorts``), invites the IRO, social worker and team manager, and
records the findings and actions. The lifecycle is in ``challenges.clinic_workflow``.

Imported by ``challenges.models`` so that Django registers these models with the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from challenges import clinic_workflow

USER = settings.AUTH_USER_MODEL


class Clinic(models.Model):
    """One clinic. ``children`` is the snapshot, taken when it is scheduled, of every child
    it covers (those of its challenges and those of its cohort): visibility is read from it,
    so a child who later joins a cohort is not silently added to a clinic already set."""

    class Status(models.TextChoices):
        SCHEDULED = clinic_workflow.SCHEDULED, "Scheduled"
        HELD = clinic_workflow.HELD, "Held"
        CANCELLED = clinic_workflow.CANCELLED, "Cancelled"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    challenges = models.ManyToManyField("challenges.Challenge", blank=True, related_name="clinics")
    cohort = models.CharField(max_length=40, blank=True)
    cohort_label = models.CharField(max_length=200, blank=True)
    children = models.ManyToManyField("children.Child", related_name="clinics")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    cancelled_reason = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    held_on = models.DateField(null=True, blank=True)
    scheduled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(m2m_fields=[challenges, children])

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="clinic_ends_after_it_starts",
                violation_error_message="The clinic must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"Clinic {self.pk}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED


class ClinicInvitee(models.Model):
    """Someone asked to the clinic: a head of service on the panel, or the IRO, social
    worker or team manager of a child it considers (or anyone else the manager adds).
    ``sent_at`` records when the invitation was sent."""

    class Role(models.TextChoices):
        PANEL = "panel", "Panel (head of service)"
        IRO = "iro", "IRO"
        SOCIAL_WORKER = "social_worker", "Social worker"
        TEAM_MANAGER = "team_manager", "Team manager"
        OTHER = "other", "Other"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="clinic_invitations")
    role = models.CharField(max_length=16, choices=Role.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "user"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.clinic}"


class ClinicItem(models.Model):
    """One thing the clinic considers: a challenge, or a child of its cohort (exactly one
    of the two), and the panel's finding on it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="items")
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinic_items",
    )
    child = models.ForeignKey(
        "children.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinic_items",
    )
    finding = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(challenge__isnull=True, child__isnull=False)
                | Q(challenge__isnull=False, child__isnull=True),
                name="clinic_item_is_a_challenge_or_a_child",
            ),
            models.UniqueConstraint(
                fields=["clinic", "challenge"],
                condition=Q(challenge__isnull=False),
                name="clinic_considers_a_challenge_once",
            ),
            models.UniqueConstraint(
                fields=["clinic", "child"],
                condition=Q(child__isnull=False),
                name="clinic_considers_a_child_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.pk} of {self.clinic}"


class ClinicAction(models.Model):
    """An action the clinic agreed on one item, with an owner and a due date; tracked like
    a recovery plan action (reminder rule DR-CLINIC-ACTION when it is past due)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(ClinicItem, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"Clinic action due {self.due_date:%d/%m/%Y}"


class ClinicEvent(models.Model):
    """One step of a clinic: who, when, from, to, why. Never edited or deleted."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    summary = models.CharField(max_length=200)
    why = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} on clinic {self.clinic_id}"
