"""The access log: one row for every view of a case record, written in the same request
(SECURITY.md T2, ASVS L3 "log every access to sensitive data"). Append-only: the
application never updates or deletes a row, and on PostgreSQL a trigger refuses both."""

from django.conf import settings
from django.db import models


class AccessLogEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log_entries"
    )
    roles = models.CharField(max_length=200)
    record_type = models.CharField(max_length=40)
    record_id = models.CharField(max_length=40)
    child_id = models.BigIntegerField(null=True, blank=True)
    route = models.CharField(max_length=80)
    method = models.CharField(max_length=8)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["child_id", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.record_type}:{self.record_id}"


class RecordSource(models.TextChoices):
    """Where a meeting record came from. Imported ones have no record behind them: only the
    dates and codes a national return holds (SSDA903 reviews, CIN census conferences)."""

    RECORDED = "recorded", "Recorded in this service"
    IMPORTED = "imported", "Imported from a national return"
