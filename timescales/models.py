"""The tables behind the clock: extra non-working days, local rule values with the date
they take effect, and the record of every stored due date that a change moved."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ExtraNonWorkingDay(models.Model):
    """A bank holiday the ``holidays`` package does not know yet (one-off holidays are
    announced at short notice). Local office closures are not bank holidays: do not add them."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=120)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.description}"


class LocalRuleValue(models.Model):
    """The local amount of a rule from ``effective_from`` on, so that compliance on a past
    date is judged by the rule in force then (DOMAIN.md section 11)."""

    rule_id = models.CharField(max_length=16)
    amount = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    reason = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_id", "effective_from"],
                name="one_local_value_per_rule_and_date",
                violation_error_message="This rule already has a value from that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} = {self.amount} from {self.effective_from:%d/%m/%Y}"


class DueDateChange(models.Model):
    """One stored due date moved by a change to the calendar or the local rules."""

    subject = models.CharField(max_length=60)  # "children.s47enquiry:42:icpc_due"
    rule_id = models.CharField(max_length=16)
    old_due = models.DateField()
    new_due = models.DateField()
    cause = models.CharField(max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "subject"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.old_due} -> {self.new_due}"
