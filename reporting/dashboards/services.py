"""Writes of the dashboards: the caseload settings (one row, kept with its history)."""

from typing import Any

from django.db import transaction

from iro_service.core.errors import NotPermitted
from iro_service.core.policy import Action, may
from people.models import User
from reporting.models import CaseloadSettings


def can_change_caseload_settings(user: User) -> bool:
    return may(user.roles, Action.CASELOAD_SETTINGS)


def caseload_settings_update(*, values: dict[str, Any], by: User) -> CaseloadSettings:
    """Save the local caseload target and complexity points (DOMAIN.md "Decided defaults":
    the local caseload values are the council's to set). The IRO service manager only."""
    if not can_change_caseload_settings(by):
        raise NotPermitted("Only the IRO service manager can change the caseload settings.")
    with transaction.atomic():
        settings = (
            CaseloadSettings.objects.select_for_update().order_by("pk").first()
            or CaseloadSettings()
        )
        for name, value in values.items():
            setattr(settings, name, value)
        settings.updated_by = by
        settings.full_clean()
        settings.save()
    return settings
