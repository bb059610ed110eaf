"""Records retention: the schedule's rules, each child's computed end, legal holds,
destruction requests, and the destruction log.

``ChildRetention`` stores the end ``retention.schedule.retention_end`` gives for each child,
on an indexed column, so the report of records past retention is one indexed query; the
services recompute it whenever an input changes (docs/adr/0006-records-retention.md).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from retention.schedule import ADULTHOOD, BASIS_LABELS, CATEGORY_LABELS, Category, RuleTerms

CATEGORY_CHOICES = [(category.value, label) for category, label in CATEGORY_LABELS.items()]
BASIS_CHOICES = [(basis.value, label) for basis, label in BASIS_LABELS.items()]
YEARS = [MinValueValidator(1), MaxValueValidator(150)]


class RetentionRule(models.Model):
    """One rule of the schedule, kept by the system administrator. Seeded with
    ``retention.schedule.DEFAULT_RULES``; a category without a row takes its default."""

    category = models.CharField(max_length=24, choices=CATEGORY_CHOICES, unique=True)
    until_birthday = models.PositiveSmallIntegerField(
        "keep until this birthday",
        null=True,
        blank=True,
        validators=[MinValueValidator(ADULTHOOD), MaxValueValidator(150)],
        help_text="For example, 75 to keep the record until the 75th birthday.",
    )
    years_after_closing = models.PositiveSmallIntegerField(
        "keep for this many years after the record closed",
        null=True,
        blank=True,
        validators=YEARS,
        help_text=(
            "Counted from the adoption order for adopted children, the end of the last "
            "period of care for looked-after children, and the end of the last section 47 "
            "enquiry or child protection plan for children never looked after."
        ),
    )
    years_after_death = models.PositiveSmallIntegerField(
        "if the child died before 18, keep for this many years after the death instead",
        null=True,
        blank=True,
        validators=YEARS,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_birthday__isnull=False) | Q(years_after_closing__isnull=False),
                name="retention_rule_has_an_end",
                violation_error_message=(
                    "Enter a birthday, or a number of years after the record closed, or both."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def terms(self) -> RuleTerms:
        return RuleTerms(
            Category(self.category),
            until_birthday=self.until_birthday,
            years_after_closing=self.years_after_closing,
            years_after_death=self.years_after_death,
        )


class ChildRetention(models.Model):
    """The end of one child's retention, as the schedule computed it from stored dates.

    ``ends_on`` is empty while a legal hold is in place or the record is in use; the report
    of records past retention reads ``ends_on <= today``.
    """

    child = models.OneToOneField(
        "children.Child", primary_key=True, on_delete=models.CASCADE, related_name="retention"
    )
    ends_on = models.DateField(null=True, blank=True, db_index=True)
    basis = models.CharField(max_length=24, choices=BASIS_CHOICES)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Retention of child {self.child_id}: {self.ends_on or self.basis}"


class LegalHold(models.Model):
    """A legal hold: while one is in place the child's records are never due for
    destruction and cannot be destroyed, whatever the schedule says. Placed and lifted by
    the information governance officer; lifted holds are kept."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(lifted_at__isnull=True),
                name="one_legal_hold_in_place_per_child",
                violation_error_message="This record already has a legal hold in place.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legal_hold_lifted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on child {self.child_id}"

    @property
    def in_place(self) -> bool:
        return self.lifted_at is None


class DestructionRequest(models.Model):
    """One person asks for a child's records to be destroyed; a different person decides.

    An approved request is destroyed with the child's records (its reason may describe the
    case); what remains is a ``DestructionLogEntry``. A rejected one stays with the child.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        REJECTED = "rejected", "Rejected"

    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="destruction_requests"
    )
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_on = models.DateField(db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status="pending"),
                name="one_pending_destruction_request_per_child",
                violation_error_message="A request to destroy this record is already waiting.",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="destruction_request_not_decided_by_requester",
                violation_error_message="The person who asked cannot decide.",
            ),
        ]

    def __str__(self) -> str:
        return f"Destruction request {self.pk}"


class DestructionLogEntry(models.Model):
    """What remains after a child's records are destroyed: no case details at all.

    ``reference`` is a keyed hash of the local authority child ID (so "was this child's
    record destroyed?" can be answered for someone who knows the ID, and by no one else);
    ``child_pk`` is the internal id the access log refers to. Append-only: on PostgreSQL a
    trigger refuses UPDATE and DELETE.
    """

    reference = models.CharField(max_length=64, db_index=True)
    child_pk = models.BigIntegerField(db_index=True)
    basis = models.CharField(max_length=24, choices=BASIS_CHOICES)
    request_pk = models.BigIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    destroyed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    rows_deleted = models.JSONField(default=dict)

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        verbose_name_plural = "destruction log entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=F("requested_by")),
                name="destruction_approved_by_a_second_person",
            )
        ]

    def __str__(self) -> str:
        return f"Destruction {self.pk} of child {self.child_pk}"

    @property
    def rows_total(self) -> int:
        return sum(self.rows_deleted.values())
