"""The audits' reminder rule, registered with the reminders app in ``AuditsConfig.ready``.
Wording carries the audit's reference only, never a child's name (SECURITY.md T4).

- AUD-REC: an open audit recommendation nearing or past its due date (its owner, and the
  IRO who made it).
"""

from django.urls import reverse

from audits.models import AuditRecommendation
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register

RULES = (
    ReminderRule(
        code="AUD-REC",
        title="Audit recommendation due",
        group=Group.DEADLINES,
        open_items=lambda: AuditRecommendation.objects.filter(
            status=AuditRecommendation.Status.OPEN
        ),
        due_field="due_date",
        child_field="audit__child_id",
        values=("audit_id",),
        thresholds=(
            Threshold.before(5),
            Threshold.on_the_day(),
            Threshold.after(1),
            Threshold.weekly_while_overdue(),
        ),
        recipient_fields=("owner_id", "audit__auditor_id"),
        wording="A recommendation of audit {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: f"A{row['audit_id']:06d}",
        link=lambda row: reverse("audits:detail", args=[row["audit_id"]]),
    ),
)


def register_all() -> None:
    for rule in RULES:
        register(rule)
