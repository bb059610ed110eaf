"""Child records: the child, periods of care and episodes, s47 enquiries, CP plans,
allocations, and the event rows that make each child's timeline.

Field names follow the SSDA903 and CIN census items they hold (DATA-FORMATS.md). Rules that
span rows (episode sequences, plan overlaps) live in ``children.services``; the database
keeps the rules a single row can break.
"""

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from children import codes

la_child_id_validator = RegexValidator(
    r"^[A-Za-z0-9]{1,20}$",
    "The local authority child ID must be 1 to 20 letters or digits, with no spaces.",
)


class SiblingGroup(models.Model):
    """Brothers and sisters whose records are reviewed together where possible."""

    reference = models.CharField(max_length=40, unique=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.reference


class Child(models.Model):
    """A child known to the IRO service.

    ``iro``, ``social_worker`` and ``team`` are the current allocations, kept by
    ``allocation_start`` alongside the dated ``Allocation`` rows so that lists, filters and
    the visibility selector read an indexed column.
    """

    la_child_id = models.CharField(
        "local authority child ID", max_length=20, unique=True, validators=[la_child_id_validator]
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    # Starts the 15 years the record of a child who died in care is kept (CPPCR 2010 reg 50).
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=codes.choices(codes.SEX), default="U")
    ethnicity = models.CharField(
        max_length=4, choices=codes.choices(codes.ETHNICITY), default="NOBT"
    )
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    disability = models.BooleanField(default=False)
    uasc = models.BooleanField("unaccompanied asylum-seeking child", default=False)
    address = models.TextField(blank=True)
    address_withheld = models.BooleanField(
        default=False, help_text="The address must not appear in letters or to the family."
    )
    restricted = models.BooleanField(
        default=False, help_text="Only the people on the allow-list can see this child."
    )
    allowed_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_children_allowed"
    )
    sibling_group = models.ForeignKey(
        SiblingGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="team_children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The history is read by child (its ``id``), never searched by these: their indexes
    # would only slow every write (an import adds a history row per child).
    history = HistoricalRecords(
        m2m_fields=[allowed_users],
        no_db_index=["la_child_id", "sibling_group", "iro", "social_worker", "team"],
    )

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["restricted"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(expected_date_of_birth__isnull=False),
                name="child_has_birth_or_expected_date",
                violation_error_message="Enter a date of birth, or an expected date of birth.",
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="child_dies_after_birth",
                violation_error_message="The date of death must be on or after the date of birth.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.la_child_id})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None

    def age_on(self, day: date) -> int | None:
        """Completed years on ``day`` (born on 29 February: a year older on 1 March)."""
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PeriodOfCare(models.Model):
    """From becoming looked after to ceasing; made of contiguous episodes (903).

    ``start_date`` is the DECOM of the first episode (RNE = S); ``end_date`` the DEC of the
    last when it ended other than X1. Both are kept by the episode services.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="periods_of_care")
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    # CLA-11: an IRO allocated within 5 WD of becoming looked after (due from start_date).
    iro_allocation_due = models.DateField(db_index=True)
    iro_allocated_on = models.DateField(null=True, blank=True)
    # The next health assessment (H-1, then H-2 by age) and the next personal education plan
    # (E-1, then E-1-REVIEW): the rule, the date its clock started and the due date, kept by
    # ``children.services.care_clocks_refresh`` when an assessment or PEP is recorded, a
    # period starts or the date of birth changes. The PEP clock of a child under the
    # starting age (E-1-FROM-AGE) starts at that birthday; the PEP fields are blank when no
    # PEP is due (no date of birth, or the E-1-END-AGE birthday comes first).
    health_assessment_rule = models.CharField(max_length=16, blank=True)
    health_assessment_clock_start = models.DateField(null=True, blank=True)
    health_assessment_due = models.DateField(null=True, blank=True, db_index=True)
    pep_rule = models.CharField("PEP rule", max_length=16, blank=True)
    pep_clock_start = models.DateField("PEP clock start", null=True, blank=True)
    pep_due = models.DateField("next PEP due", null=True, blank=True, db_index=True)
    # The history is read by period (its ``id``): the date and child indexes would only
    # slow writes.
    history = HistoricalRecords(
        no_db_index=[
            "child",
            "start_date",
            "end_date",
            "iro_allocation_due",
            "health_assessment_due",
            "pep_due",
        ]
    )

    class Meta:
        ordering = ["child", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["child", "start_date"], name="one_period_per_start"),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="one_open_period_per_child",
                violation_error_message="The child already has an open period of care.",
            ),
        ]

    def __str__(self) -> str:
        return f"Period of care from {self.start_date:%d/%m/%Y}"


class Episode(models.Model):
    """One SSDA903 episode: a stretch of care with one legal status and placement."""

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="episodes")
    decom = models.DateField("date episode started")
    rne = models.CharField("reason for new episode", max_length=1, choices=codes.choices(codes.RNE))
    ls = models.CharField("legal status", max_length=2, choices=codes.choices(codes.LEGAL_STATUS))
    cin = models.CharField(
        "category of need", max_length=2, choices=codes.choices(codes.CATEGORY_OF_NEED)
    )
    place = models.CharField("placement type", max_length=3, choices=codes.choices(codes.ALL_PLACE))
    place_provider = models.CharField(
        "placement provider", max_length=3, blank=True, choices=codes.choices(codes.PLACE_PROVIDER)
    )
    dec = models.DateField("date episode ceased", null=True, blank=True)
    rec = models.CharField(
        "reason episode ceased",
        max_length=3,
        blank=True,
        choices=codes.choices(codes.REASON_CEASED),
    )
    reason_place_change = models.CharField(
        "reason for placement change",
        max_length=6,
        blank=True,
        choices=codes.choices(codes.REASON_PLACE_CHANGE),
    )
    home_post = models.CharField("home postcode", max_length=8, blank=True)
    pl_post = models.CharField("placement postcode", max_length=8, blank=True)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True)
    # The history is read by episode (its ``id``): a period index would only slow writes.
    history = HistoricalRecords(no_db_index=["period"])

    class Meta:
        ordering = ["period", "decom"]
        constraints = [
            models.UniqueConstraint(fields=["period", "decom"], name="one_episode_per_start"),
            models.CheckConstraint(
                condition=Q(dec__isnull=True) | Q(dec__gt=models.F("decom")),
                name="episode_ends_after_start",
                violation_error_message="An episode must end after the day it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode from {self.decom:%d/%m/%Y} ({self.ls}, {self.place})"


class S47Enquiry(models.Model):
    """A section 47 enquiry; the strategy discussion starts the ICPC clock (CP-1).

    ``icpc_date`` is the CIN census DateOfInitialCPC, set when the conference is held (or,
    for the census, when a plan starts from it)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="s47_enquiries")
    strategy_discussion_date = models.DateField(null=True, blank=True)
    start_date = models.DateField("section 47 start date")
    end_date = models.DateField(null=True, blank=True)
    icpc_not_required = models.BooleanField("initial conference not required", default=False)
    # CP-1: the ICPC within 15 WD of the strategy discussion (or, failing one, the s47 start).
    icpc_due = models.DateField("initial conference due", db_index=True)
    icpc_date = models.DateField("initial conference held", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["child", "start_date"]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.start_date:%d/%m/%Y}"

    @property
    def icpc_clock_start(self) -> date:
        return self.strategy_discussion_date or self.start_date


class ChildProtectionPlan(models.Model):
    """A CP plan. Categories are lists of codes (NEG, PHY, EMO, SAB); several may be
    recorded, and the national return receives one code: MUL when there are several (CP-3).
    ``previous_plans`` is derived when the plan is recorded (CP-13)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cp_plans")
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    initial_categories = models.JSONField(default=list)
    latest_categories = models.JSONField(default=list)
    end_reason = models.CharField(
        max_length=24, blank=True, choices=list(codes.CP_PLAN_END_REASON.items())
    )
    previous_plans = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "child protection plan"
        ordering = ["child", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(end_date__isnull=True),
                name="one_open_cp_plan_per_child",
                violation_error_message="The child already has an open child protection plan.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cp_plan_ends_after_start",
                violation_error_message="A plan must end after the day it started.",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.start_date:%d/%m/%Y}"

    @staticmethod
    def export_code(categories: list[str]) -> str:
        """The single category code the CIN census takes: MUL when several (CP-3)."""
        if len(categories) > 1:
            return codes.CP_CATEGORY_MULTIPLE
        return categories[0] if categories else ""

    @property
    def made_before_birth(self) -> bool:
        """A pre-birth plan (CP-8): the child was not yet born before the day it started
        (born that very day counts: the conference was held for an unborn child). Reads
        ``child``: select it with the plan."""
        born = self.child.date_of_birth
        return born is None or born >= self.start_date

    @property
    def initial_category_code(self) -> str:
        return self.export_code(self.initial_categories)

    @property
    def latest_category_code(self) -> str:
        return self.export_code(self.latest_categories)


class Allocation(models.Model):
    """Who holds the child's case, over time: the IRO, the social worker, the team."""

    class Kind(models.TextChoices):
        IRO = "iro", "IRO"
        SOCIAL_WORKER = "social_worker", "Social worker"
        TEAM = "team", "Team"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "kind", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"],
                condition=Q(end_date__isnull=True),
                name="one_current_allocation_per_kind",
            ),
            models.CheckConstraint(
                condition=(Q(kind="team") & Q(team__isnull=False) & Q(user__isnull=True))
                | (~Q(kind="team") & Q(user__isnull=False) & Q(team__isnull=True)),
                name="allocation_names_a_team_or_a_person",
            ),
        ]

    def __str__(self) -> str:
        holder = self.team if self.kind == self.Kind.TEAM else self.user
        return f"{self.get_kind_display()}: {holder} from {self.start_date:%d/%m/%Y}"


class ChildEvent(models.Model):
    """One entry on a child's timeline: what happened, when, and who recorded it.

    Written by every service that changes a child's record; never edited or deleted.
    ``summary`` is plain text shown to people who can see the child and never leaves the
    application (no emails, no logs).
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["child", "-occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} {self.kind}"


class Visit(models.Model):
    """A statutory visit by the child's social worker (CPPCR 2010 reg 28 for children in
    care, V-1..V-7; the local CP rule CP-11 for children on a plan). Stored with the SSD
    fields: seen, seen alone, bedroom seen."""

    class Kind(models.TextChoices):
        CARE = "care", "Child in care visit"
        PROTECTION = "protection", "Child protection visit"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    visit_date = models.DateField()
    seen = models.BooleanField(default=True)
    seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-visit_date"]
        indexes = [models.Index(fields=["child", "kind", "-visit_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.visit_date:%d/%m/%Y}"


class CareCheck(models.Model):
    """What a health assessment and a personal education plan share: the date it was
    completed, and whether it was the first of its period of care (initial) or a later one
    (review). ``rule_id`` and ``due_date`` are the deadline it met or missed, derived by
    ``children.services.care_clocks_refresh`` from the earlier ones of the same period."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial"
        REVIEW = "review", "Review"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    completed_on = models.DateField("date completed")
    rule_id = models.CharField(max_length=16)
    due_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def on_time(self) -> bool:
        return self.due_date is None or self.completed_on <= self.due_date


class HealthAssessment(CareCheck):
    """An initial or review health assessment of a child in care (H-1, H-2)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_assessments")
    period = models.ForeignKey(
        PeriodOfCare, on_delete=models.PROTECT, related_name="health_assessments"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-completed_on"]
        indexes = [models.Index(fields=["child", "-completed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "completed_on"],
                name="one_health_assessment_per_day",
                violation_error_message="A health assessment on that date is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} health assessment on {self.completed_on:%d/%m/%Y}"


class PersonalEducationPlan(CareCheck):
    """A personal education plan of a child in care, or a review of it (E-1)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="peps")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="peps")
    # A PEP recorded when none was due (no date of birth, or after the last one due before
    # the E-1-END-AGE birthday) met or missed no deadline: both are blank.
    rule_id = models.CharField(max_length=16, blank=True)
    due_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "personal education plan"
        ordering = ["child", "-completed_on"]
        indexes = [models.Index(fields=["child", "-completed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "completed_on"],
                name="one_pep_per_day",
                violation_error_message="A PEP on that date is already recorded.",
            )
        ]

    def __str__(self) -> str:
        label = "PEP" if self.kind == self.Kind.INITIAL else "PEP review"
        return f"{label} on {self.completed_on:%d/%m/%Y}"


class ConflictDeclaration(models.Model):
    """A member of staff's connection to a child or their family (SECURITY.md access model,
    "conflict declared"): from the moment it is recorded the child disappears for them
    everywhere (``children_visible_to``). The IRO service manager reviews each one.

    Declarations are never deleted: the record of who declared what, and when, is kept.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts_declared"
    )
    reason = models.TextField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="one_conflict_per_child_user")
        ]
        indexes = [models.Index(fields=["user", "child"])]

    def __str__(self) -> str:
        return f"Conflict {self.pk}: user {self.user_id}, child {self.child_id}"


class AccessReason(models.Model):
    """A manager opened a child outside their teams and said why (SECURITY.md: "a reason,
    logged, and an alert to the information governance officer"; the NHS Summary Care
    Record's model). The child stays open to them until ``expires_at``.

    ``given_on`` is the indexed date the IG officer's alert (reminders rule IG-ACCESS) and
    the monthly report read.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="access_reasons")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_reasons"
    )
    roles = models.CharField(max_length=200)
    reason = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)
    given_on = models.DateField(db_index=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["user", "child", "expires_at"])]

    def __str__(self) -> str:
        return f"Access reason {self.pk}: user {self.user_id}, child {self.child_id}"
