"""The reminder ledger, in-app notifications, email deliveries, preferences, scan health
and calendar feeds.

None of these rows is case history (they are the service's own bookkeeping), so they are not
history-tracked and conditional ``QuerySet.update()`` is how a sender claims a row (T7).
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Group(models.TextChoices):
    """Rule groups: each user chooses immediate email or the daily digest per group."""

    DEADLINES = "deadlines", "Deadlines coming up"
    OVERDUE_MEETINGS = "overdue_meetings", "Overdue statutory meetings"
    ESCALATIONS = "escalations", "Escalations"
    MANAGEMENT = "management", "Caseloads and service alerts"
    SYSTEM = "system", "System administration"


# Default: daily digest, except these (issue 8: escalations and overdue statutory meetings).
IMMEDIATE_BY_DEFAULT = frozenset({Group.ESCALATIONS, Group.OVERDUE_MEETINGS})


class Reminder(models.Model):
    """One reminder to one person: rule, subject, due date, threshold and recipient are unique,
    so a second scan, a retried task or a second beat process inserts nothing (T7).

    ``message`` and ``reference`` never hold a child's name; ``child`` is kept so lists are
    filtered through ``children_visible_to``.
    """

    rule = models.CharField(max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    due_date = models.DateField()
    threshold = models.CharField(max_length=20)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField(max_length=20, choices=Group.choices)
    immediate = models.BooleanField()
    reference = models.CharField(max_length=80)
    message = models.CharField(max_length=200)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the daily digest takes the reminder; immediate reminders have their own row.
    digest = models.ForeignKey(
        "EmailDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id", "due_date", "threshold", "recipient"],
                name="one_reminder_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "digest"], name="reminder_digest_idx"),
            models.Index(fields=["rule", "created_at"], name="reminder_rule_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.threshold} {self.reference}"


class Notification(models.Model):
    """What the recipient sees in the service: one per reminder; unread until acknowledged."""

    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="notification")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    child = models.ForeignKey(
        "children.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(acknowledged_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} for user {self.recipient_id}"


class EmailDelivery(models.Model):
    """One email: a single reminder (immediate), a day's digest for one person, or a message
    an app hands to the gateway (an invitation to someone who may not be a user: its
    address, subject, texts and calendar file are kept here so a retry sends the same).

    A sender claims the row with ``UPDATE ... WHERE status = 'pending'`` before sending, then
    records the provider's id. A row left ``sending`` by a killed worker is put back to
    pending after ``REMINDERS_SEND_LEASE_SECONDS`` by the sweep.
    """

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate"
        DIGEST = "digest", "Daily digest"
        MESSAGE = "message", "Message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not needed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    # A message: who to, and what (a reference and a link, never a child's details).
    to_address = models.EmailField(blank=True)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    reference = models.CharField(max_length=80, blank=True)
    ics = models.TextField("calendar file", blank=True)
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.CASCADE, related_name="delivery"
    )
    digest_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "email deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=Q(kind="digest"),
                name="one_digest_per_person_per_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="immediate") & Q(reminder__isnull=False) & Q(recipient__isnull=False)
                )
                | (Q(kind="digest") & Q(digest_date__isnull=False) & Q(recipient__isnull=False))
                | (Q(kind="message") & ~Q(to_address="")),
                name="delivery_has_what_to_send",
            ),
        ]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.kind}, {self.status})"


class Preference(models.Model):
    """A user's choice for one rule group; no row means the default for the group."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "Email me straight away"
        DIGEST = "digest", "One email a day at 7:30am"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    group = models.CharField(max_length=20, choices=Group.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_preference_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.mode}"


class ScanRun(models.Model):
    """One finished scan of one rule, for /healthz and the administrators' page."""

    rule = models.CharField(max_length=40)
    today = models.DateField()
    finished_at = models.DateTimeField(auto_now_add=True)
    rows_inserted = models.PositiveIntegerField(default=0)
    subjects_failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["rule", "-finished_at"], name="scanrun_latest_idx")]

    def __str__(self) -> str:
        return f"{self.rule} at {self.finished_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A user's personal calendar address. The token in it is the only credential for the
    feed, so only its SHA-256 is stored (like a password reset token: a copy of the database
    opens no one's calendar) and the address is shown once, when it is made. Making a new
    one or turning the feed off revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed for user {self.user_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        """A token is 256 random bits, so a plain SHA-256 is enough (no slow hash needed)."""
        return hashlib.sha256(token.encode()).hexdigest()
