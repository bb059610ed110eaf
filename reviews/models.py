"""Children-in-care reviews (CPPCR 2010 regs 32-38, DOMAIN.md sections 2, 3 and 11).

A ``Review`` is one review meeting of one child in care, from the day it falls due to its
record being completed. Its clock (``sequence_rule`` CLA-1/2/3 and ``clock_start``) and its
``original_due_date`` are stored when the review is created: rescheduling never moves them.
Decisions are tracked actions; invitations, contacts with the child, consultation documents
and footprint notes are rows of their own. Every model keeps its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from iro_service.core.models import RecordSource
from reviews import workflow

PARTICIPATION_CODES = [
    ("PN0", "PN0: child under 4 at the time of the review"),
    ("PN1", "PN1: child attended and spoke for themselves"),
    ("PN2", "PN2: child attended, an advocate spoke for them"),
    ("PN3", "PN3: child attended and conveyed their views non-verbally"),
    ("PN4", "PN4: child attended but did not convey their views"),
    ("PN5", "PN5: child did not attend, an advocate gave their views"),
    ("PN6", "PN6: child did not attend but gave their views another way"),
    ("PN7", "PN7: child did not attend and gave no views"),
]

# Schedule 7 CPPCR 2010: matters to consider at every review (DOMAIN.md section 3).
SCHEDULE_7 = [
    ("health", "Health assessment and health plan"),
    ("pep", "Personal education plan"),
    ("contact", "Contact arrangements"),
    ("placement", "Placement"),
    ("permanence", "Plan for permanence"),
    ("legal_status", "Legal status"),
    ("identity", "Identity needs"),
    ("leaving_care", "Plans for leaving care"),
    ("previous_decisions", "Previous decisions implemented"),
]

# The content of the review record: what the IRO writes and the record form edits.
RECORD_FIELDS = [
    "held_date",
    "attendees",
    "apologies",
    "participation_code",
    "wishes_and_feelings",
    "schedule7",
    "permanence_plan_in_place",
    "permanence_plan_endorsed",
    "summary",
]


HISTORY_UNINDEXED = [
    "child",
    "period",
    "chair",
    "original_due_date",
    "due_date",
    "status",
    "scheduled_date",
    "held_date",
    "decisions_due",
    "record_due",
    "source",
]


class Review(models.Model):
    class Status(models.TextChoices):
        DUE = workflow.DUE, "Due"
        SCHEDULED = workflow.SCHEDULED, "Scheduled"
        HELD = workflow.HELD, "Held"
        ADJOURNED = workflow.ADJOURNED, "Adjourned"
        CANCELLED = workflow.CANCELLED, "Cancelled"

    class Kind(models.TextChoices):
        STATUTORY = "statutory", "Statutory"
        EXTRA = "extra", "Early or extra"

    class ExtraReason(models.TextChoices):
        """CLA-4: CPPCR 2010 regs 32(2) and 33(3)."""

        CARE_PLAN_CHANGE = "care_plan_change", "A significant change to the care plan"
        CEASING_CARE = "ceasing_care", "Ceasing to look after the child"
        IRO_REQUEST = "iro_request", "The IRO asked for a review"
        ACCOMMODATION_ENDING = "accommodation_ending", "Police protection or remand ending"
        RELEASE = "release", "Release from a secure training centre or YOI"
        S20_ENDING = "s20_ending", "Accommodation ending with no parent to provide it"
        WELFARE_CONCERN = "welfare_concern", "A welfare concern after a visit"
        PLACEMENT_ENDING = "placement_ending", "The child's placement is ending"

    class LateReason(models.TextChoices):
        NO_SW_REPORT = "no_sw_report", "No social worker report"
        NO_SOCIAL_WORKER = "no_social_worker", "No allocated social worker"
        CHILD_UNAVAILABLE = "child_unavailable", "Child unavailable"
        IRO_UNAVAILABLE = "iro_unavailable", "IRO unavailable"
        FAMILY_REQUEST = "family_request", "Family request"
        OTHER = "other", "Other"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="reviews")
    period = models.ForeignKey(
        "children.PeriodOfCare", on_delete=models.PROTECT, related_name="reviews"
    )
    sequence_rule = models.CharField(max_length=8)  # CLA-1, CLA-2 or CLA-3
    clock_start = models.DateField()
    original_due_date = models.DateField(db_index=True)
    due_date = models.DateField(db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STATUTORY)
    extra_reason = models.CharField(max_length=24, blank=True, choices=ExtraReason.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DUE, db_index=True
    )
    # Booking.
    scheduled_date = models.DateField(null=True, blank=True, db_index=True)
    scheduled_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    online = models.BooleanField(default=False)
    late_reason = models.CharField(max_length=20, blank=True, choices=LateReason.choices)
    late_reason_text = models.CharField(max_length=300, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Before the review.
    sw_report_received_on = models.DateField(
        "social worker's report received", null=True, blank=True
    )
    child_prepared = models.BooleanField("child prepared for the review", null=True, blank=True)
    # At the review.
    held_date = models.DateField(null=True, blank=True, db_index=True)
    attendees = models.TextField(blank=True)
    apologies = models.TextField(blank=True)
    participation_code = models.CharField(max_length=3, blank=True, choices=PARTICIPATION_CODES)
    wishes_and_feelings = models.TextField(blank=True)
    schedule7 = models.JSONField(default=dict, blank=True)
    permanence_plan_in_place = models.BooleanField(null=True, blank=True)
    permanence_plan_endorsed = models.BooleanField(null=True, blank=True)
    summary = models.TextField("summary of the discussion", blank=True)
    # After the review: CLA-13 and CLA-14 (stored when held).
    decisions_due = models.DateField(null=True, blank=True, db_index=True)
    decisions_circulated_on = models.DateField(null=True, blank=True)
    record_due = models.DateField(null=True, blank=True, db_index=True)
    record_completed_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField("reason adjourned or cancelled", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(
        max_length=8, choices=RecordSource.choices, default=RecordSource.RECORDED, db_index=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The history is read by review (its ``id``), never searched by these fields: their
    # indexes would only slow every write (an import adds a history row per review).
    history = HistoricalRecords(no_db_index=HISTORY_UNINDEXED)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=workflow.OPEN_STATUSES),
                name="one_next_review_per_child",
                violation_error_message="The child already has a next review.",
            ),
        ]
        indexes = [
            # The schedule queue: reviews with no date yet, soonest due first. Nearly every
            # review is held, so an index on every due date reads past years of them
            # (issue 11: 6,500 held rows at council size for 50 due ones).
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status=workflow.DUE),
                name="review_to_schedule_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.reference}"

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATUSES

    @property
    def in_timescale(self) -> bool | None:
        """Held on or before the original due date (DOMAIN.md 2.3); None until held."""
        if self.held_date is None:
            return None
        return self.held_date <= self.original_due_date

    @property
    def is_completed(self) -> bool:
        return self.record_completed_on is not None


class ReviewDraft(models.Model):
    """What one person has typed into the record form and not yet saved (ARCHITECTURE.md:
    no one loses a record they were writing). One draft per person per review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)
    based_on_version = models.PositiveIntegerField(default=1)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "author"], name="one_draft_per_author")
        ]

    def __str__(self) -> str:
        return f"Draft of review {self.review_id}"


class ReviewAmendment(models.Model):
    """An amendment to a completed record: the record as it was, and why it changed."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField()
    original = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Amendment of review {self.review_id}"


class Decision(models.Model):
    """A decision of a review: a tracked action with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"
        SUPERSEDED = "superseded", "Superseded"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_role = models.CharField("owner's role", max_length=120, blank=True)
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    status_note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk} of review {self.review_id}"


class Invitation(models.Model):
    class How(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    role = models.CharField("role or relationship to the child", max_length=120)
    how = models.CharField(max_length=12, choices=How.choices, default=How.EMAIL)
    sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to review {self.review_id}"


class ChildContact(models.Model):
    """The IRO's contact with the child before a review (CLA-12)."""

    class How(models.TextChoices):
        VISIT = "visit", "Visit"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField()
    how = models.CharField(max_length=8, choices=How.choices)
    seen_alone = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Contact before review {self.review_id}"


class ConsultationDocument(models.Model):
    class Who(models.TextChoices):
        CHILD = "child", "Child"
        PARENTS = "parents", "Parents"
        CARER = "carer", "Carer"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="consultations")
    who = models.CharField(max_length=8, choices=Who.choices)
    sent_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"Consultation for review {self.review_id}"


class FootprintNote(models.Model):
    """The IRO's oversight between reviews: an oversight contact or the midway check."""

    class Kind(models.TextChoices):
        OVERSIGHT = "oversight", "Oversight contact"
        MIDWAY = "midway", "Midway check"

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField()
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"
