"""What reporting stores of its own: the 0-17 population and managers' commentary for the
annual report, the runs of national-return imports (with their uploaded files, progress and
outcome), a record of every export (who, what, when), and the dashboards' caseload settings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Population(models.Model):
    """The 0-17 population of the authority for a reporting year (ONS mid-year estimate),
    used by every rate per 10,000 (ANNUAL-REPORT-METRICS.md, "Population")."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the reporting year starts: 2025 for 2025-26."
    )
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}: {self.population}"


class ReportCommentary(models.Model):
    """A section of the annual report written by a manager for one reporting year."""

    class Section(models.TextChoices):
        INTRODUCTION = "introduction", "Introduction"
        PRIORITIES = "priorities", "Priorities for the coming year"
        CHILDREN_TOLD_US = "children_told_us", "What children told us"
        ACHIEVEMENTS = "achievements", "What went well"
        CHALLENGES = "challenges", "What needs to improve"

    year = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=24, choices=Section.choices)
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "section"]
        constraints = [
            models.UniqueConstraint(fields=["year", "section"], name="one_commentary_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_section_display()}"


class ImportRun(models.Model):
    """One import of national-return files, from upload to its summary or its error list.
    Uploads run as a Celery task that takes only this row's id; the progress page reads it."""

    class Kind(models.TextChoices):
        SSDA903 = "ssda903", "SSDA903 (children looked after)"
        CIN = "cin", "CIN census"
        STRATEGY_DISCUSSIONS = "strategy", "Strategy discussion dates"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # {"children": {"added": n, "updated": n}, "episodes": {...}, ...}
    summary = models.JSONField(default=dict, blank=True)
    # [{"file": "episodes.csv", "row": 12, "column": "DECOM", "rule": "...", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk}"


class ImportFile(models.Model):
    """An uploaded file kept in the database (not on disk) until its import has run: it
    holds children's details, so it is deleted when the run finishes."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class ExportRecord(models.Model):
    """Every export of children's data: who, which export, which year, when, how many rows
    (SECURITY.md: exports are logged)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    export = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    file_format = models.CharField(max_length=8)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.export} {self.year} by {self.by_id}"


# --- Dashboards: caseload settings (reporting/dashboards/) ---------------------------------


class CaseloadSettings(models.Model):
    """The local caseload target per full-time IRO and the points of the complexity-weighted
    caseload, set by the IRO service manager (DOMAIN.md "Decided defaults": the 50-70
    guidance of CLA-16 is fixed; the local target, 80 by default, is the council's own).

    One row: ``CaseloadSettings.current()`` reads it, or the defaults before anyone saved.
    Every child on a caseload counts 1 point, plus the points of each factor that applies.
    """

    local_target_per_fte = models.PositiveSmallIntegerField(
        "local target (children per full-time IRO)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    sibling_group = models.PositiveSmallIntegerField(
        "points for a child in a sibling group",
        default=1,
        help_text="The child's record names a sibling group.",
    )
    in_care_and_on_plan = models.PositiveSmallIntegerField(
        "points for a child both in care and on a child protection plan",
        default=2,
        help_text="The child has an open episode of care and an open child protection plan.",
    )
    out_of_area = models.PositiveSmallIntegerField(
        "points for a child placed out of area",
        default=1,
        help_text=(
            "The placement postcode of the current episode does not start with one of the "
            "local postcode prefixes below; with no prefixes entered, its postcode area (the "
            "letters at the start) differs from the child's home postcode area."
        ),
    )
    care_proceedings = models.PositiveSmallIntegerField(
        "points for a child in care proceedings",
        default=2,
        help_text=(
            "The legal status of the current episode is C1 (interim care order): the only "
            "sign of live proceedings the SSDA903 data holds."
        ),
    )
    recently_accommodated = models.PositiveSmallIntegerField(
        "points for a child accommodated in the last 3 months",
        default=1,
        help_text="The current period of care started less than 3 calendar months ago.",
    )
    placement_disruption = models.PositiveSmallIntegerField(
        "points for a placement disruption in the last 3 months",
        default=2,
        help_text=(
            "The child changed placement in the last 3 calendar months (a new episode with "
            "reason P, T, B or U), unless the episode it ended gave the reason as the care "
            "plan (CARPL) or a change of placement status only (PLACE)."
        ),
    )
    local_postcode_prefixes = models.CharField(
        max_length=200,
        blank=True,
        help_text="The starts of the council's own postcodes, separated by commas: DL1, DL2, DL3.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    WEIGHT_FIELDS = (
        "sibling_group",
        "in_care_and_on_plan",
        "out_of_area",
        "care_proceedings",
        "recently_accommodated",
        "placement_disruption",
    )

    class Meta:
        verbose_name = "caseload settings"
        verbose_name_plural = "caseload settings"

    def __str__(self) -> str:
        return f"Caseload settings (target {self.local_target_per_fte})"

    @classmethod
    def current(cls) -> "CaseloadSettings":
        """The saved settings, or the defaults (unsaved) before anyone changed them."""
        return cls.objects.order_by("pk").first() or cls()

    @property
    def prefixes(self) -> list[str]:
        parts = (part.strip().upper() for part in self.local_postcode_prefixes.split(","))
        return [part for part in parts if part]

    @property
    def weights(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.WEIGHT_FIELDS}
