"""The configurable parts of the Issues Resolution Process: the reasons for challenge
(DOMAIN.md 7.3) and each stage's owner, days and approval rule (Decided defaults)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from challenges.models import ChallengeReason, StageConfig


@admin.register(ChallengeReason)
class ChallengeReasonAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(StageConfig)
class StageConfigAdmin(SimpleHistoryAdmin):
    list_display = ["stage", "owner_level", "owner_user", "response_days", "needs_approval"]
    fields = ["owner_level", "owner_user", "response_days", "needs_approval"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
