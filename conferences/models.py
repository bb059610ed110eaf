"""Child protection conferences and core groups (DOMAIN.md sections 5 and 11, CP-1 ... CP-14).

A ``Conference`` is a request first (with its rule, clock start and ``original_due_date``,
which never changes), then a booking (chair, room, time), then a record (attendance,
quoracy, participation, decision). Core groups belong to the CP plan between conferences.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from children import codes as child_codes
from conferences import codes
from iro_service.core.models import RecordSource


class Room(models.Model):
    """A meeting room the IRO service books (a managed list). An online meeting has a link."""

    name = models.CharField(max_length=120, unique=True)
    capacity = models.PositiveSmallIntegerField()
    online_link = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChairUnavailability(models.Model):
    """A day a chair cannot chair: leave or a non-working day (entered by the chair or
    their manager). Booking a conference on that day is refused."""

    class Reason(models.TextChoices):
        LEAVE = "leave", "Leave"
        NON_WORKING = "non_working", "Non-working day"

    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="unavailability"
    )
    date = models.DateField(db_index=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["chair", "date"]
        verbose_name_plural = "chair unavailability"
        constraints = [
            models.UniqueConstraint(fields=["chair", "date"], name="one_unavailability_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.date:%d/%m/%Y}"


class Conference(models.Model):
    """One child protection conference, from request to record."""

    class Type(models.TextChoices):
        ICPC = "icpc", "Initial conference"
        RCPC = "rcpc", "Review conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"
        PRE_BIRTH = "pre_birth", "Pre-birth initial conference"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting a date"
        SCHEDULED = "scheduled", "Booked"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Decision(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        NO_PLAN = "no_plan", "No child protection plan"
        CONTINUE = "continue", "Continue the plan"
        END = "end", "End the plan"

    INITIAL_TYPES = frozenset({Type.ICPC, Type.TRANSFER_IN, Type.PRE_BIRTH})

    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="conferences"
    )
    s47_enquiry = models.ForeignKey(
        "children.S47Enquiry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    cp_plan = models.ForeignKey(
        "children.ChildProtectionPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    conference_type = models.CharField(max_length=12, choices=Type.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    # The clock: rule, the day it started, and the due date it set. Rescheduling never
    # moves ``original_due_date``; lateness is judged against it (DOMAIN.md s.11 notes).
    rule_id = models.CharField(max_length=16)
    clock_start = models.DateField()
    original_due_date = models.DateField(db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    # The booking.
    scheduled_start = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_end = models.DateTimeField(null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conferences_chaired",
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    online_link = models.URLField(blank=True)
    late_reason = models.CharField(
        max_length=24, blank=True, choices=codes.choices(codes.LATE_REASON)
    )
    cancel_reason = models.CharField(max_length=300, blank=True)

    # The record.
    held_on = models.DateField(null=True, blank=True, db_index=True)
    quorate = models.BooleanField(null=True, blank=True)
    not_quorate_reason = models.TextField(blank=True)
    child_participation = models.CharField(
        max_length=24, blank=True, choices=codes.choices(codes.CHILD_PARTICIPATION)
    )
    child_views = models.TextField(blank=True)
    parents_participation = models.CharField(
        max_length=24, blank=True, choices=codes.choices(codes.PARENT_PARTICIPATION)
    )
    parents_views = models.TextField(blank=True)
    decision = models.CharField(max_length=12, blank=True, choices=Decision.choices)
    categories = models.JSONField(default=list, blank=True)
    end_reason = models.CharField(
        max_length=24, blank=True, choices=list(child_codes.CP_PLAN_END_REASON.items())
    )
    outline_plan = models.TextField(blank=True)
    core_group_members = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)

    # After the conference: CP-OUTCOME and CP-MINUTES, stored when it is held.
    outcome_due = models.DateField(null=True, blank=True, db_index=True)
    outcome_sent_on = models.DateField(null=True, blank=True)
    minutes_due = models.DateField(null=True, blank=True, db_index=True)
    minutes_completed_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=8, choices=RecordSource.choices, default=RecordSource.RECORDED, db_index=True
    )
    # Raised by each change of the held record (recording it, amending it): a save based on
    # an older version is refused, so nobody overwrites words they have not seen (T8).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["original_due_date", "pk"]
        indexes = [
            models.Index(fields=["chair", "scheduled_start"]),
            models.Index(fields=["room", "scheduled_start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduled_end__isnull=True)
                | Q(scheduled_end__gt=models.F("scheduled_start")),
                name="conference_ends_after_it_starts",
                violation_error_message="A conference must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_conference_type_display()} (due {self.original_due_date:%d/%m/%Y})"

    @property
    def reference(self) -> str:
        """The reference used in emails and letters instead of the child's name."""
        return f"CPC-{self.pk:06d}"

    @property
    def is_initial(self) -> bool:
        return self.conference_type in self.INITIAL_TYPES

    @property
    def scheduled_date(self) -> date | None:
        """The London date of the booking."""
        if self.scheduled_start is None:
            return None
        return timezone.localdate(self.scheduled_start)

    @property
    def census_category(self) -> str:
        """The single code the CIN census takes: MUL for several categories (CP-3)."""
        from children.models import ChildProtectionPlan

        return ChildProtectionPlan.export_code(list(self.categories))


class ConferenceAmendment(models.Model):
    """A change to a held conference's record: the record as it was, and why it changed
    (issue 5: "the same amend rule as reviews"). The record itself changes only this way."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField()
    original = models.JSONField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Amendment of conference {self.conference_id}"


class AmendmentDraft(models.Model):
    """What one person has typed into the amend form of a held record and not yet sent
    (ARCHITECTURE.md: no one loses a record they were writing). One draft per person per
    conference; the record itself changes only by an amendment, so, unlike the record
    form's draft, this one cannot be kept on the conference. ``based_on_version`` is the
    record's version the person was amending: a draft from before someone else's amendment
    cannot overwrite it (T8)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="amendment_drafts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)
    based_on_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "author"], name="one_amendment_draft_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Draft amendment of conference {self.conference_id}"


class Invitation(models.Model):
    """Someone invited to a conference, with their agency and needs; attendance is
    recorded against the invitation at the conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=16, choices=codes.choices(codes.AGENCY))
    contact = models.CharField("email or phone", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    advocate_needed = models.BooleanField(default=False)
    attendance = models.CharField(
        max_length=12, blank=True, choices=codes.choices(codes.ATTENDANCE)
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "agency", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"


class AgencyReport(models.Model):
    """A report asked of an agency, due N WD before the conference (CP-10, counted back
    from the booked conference date). A new booking moves the due date with it."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reports")
    agency = models.CharField(max_length=16, choices=codes.choices(codes.AGENCY))
    requested_on = models.DateField()
    rule_id = models.CharField(max_length=16)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    received_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "agency"], name="one_report_per_agency_per_conference"
            )
        ]

    def __str__(self) -> str:
        return f"Report from {self.get_agency_display()}"

    @property
    def conference_date(self) -> date | None:
        """The clock of CP-10 (counted back): the booked conference date."""
        return self.conference.scheduled_date


class CoreGroup(models.Model):
    """A core group meeting on a CP plan: the first within 10 WD of the ICPC (CP-4), later
    ones every 4 weeks (CP-5). ``rule_id``/``due_date`` record the deadline it answered."""

    cp_plan = models.ForeignKey(
        "children.ChildProtectionPlan", on_delete=models.PROTECT, related_name="core_groups"
    )
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="core_groups"
    )
    held_on = models.DateField(db_index=True)
    rule_id = models.CharField(max_length=16)
    due_date = models.DateField(db_index=True)
    attendance = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cp_plan", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["cp_plan", "held_on"], name="one_core_group_a_day")
        ]

    def __str__(self) -> str:
        return f"Core group {self.held_on:%d/%m/%Y}"
