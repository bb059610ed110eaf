"""Writes for the annual report: the 0-17 population of a year (POP-1) and the managers'
commentary sections. Pages and ``manage.py set_population`` both come here."""

import logging

from django.db import transaction

from iro_service.core.errors import NotPermitted, RuleViolation
from iro_service.core.policy import Action, may
from people.models import User
from reporting.models import Population, ReportCommentary

logger = logging.getLogger(__name__)

FIRST_YEAR, LAST_YEAR = 2000, 2100


def can_read_report(user: User) -> bool:
    """Aggregate figures only (no child is named in the report)."""
    return may(user.roles, Action.ANNUAL_REPORT_READ)


def can_set_population(user: User) -> bool:
    return may(user.roles, Action.POPULATION_KEEP)


def can_write_commentary(user: User) -> bool:
    return may(user.roles, Action.ANNUAL_REPORT_WRITE)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleViolation(
            f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}, like 2025 for 2025-26.",
            field="year",
        )


@transaction.atomic
def population_set(*, year: int, population: int, source: str, by: User | None) -> Population:
    """Enter or correct the 0-17 population of reporting year ``year`` with its source (the
    ONS mid-year estimate used). ``by`` is None only from the management command, which
    is run by someone with server access."""
    if by is not None and not can_set_population(by):
        raise NotPermitted("Only the IRO service manager or an administrator can do this.")
    _check_year(year)
    if population < 1:
        raise RuleViolation("Enter the population as a whole number above 0.", field="population")
    if not source.strip():
        raise RuleViolation(
            "Say where the figure comes from, like 'ONS mid-2024 estimate'.", field="source"
        )
    row = Population.objects.select_for_update().filter(year=year).first() or Population(year=year)
    row.population, row.source, row.entered_by = population, source.strip(), by
    row.full_clean()
    row.save()
    logger.info("population for %s set by %s", year, by.pk if by else "command")
    return row


@transaction.atomic
def commentary_set(*, year: int, section: str, text: str, by: User) -> ReportCommentary | None:
    """Write (or, with empty text, remove) one commentary section of a year's report."""
    if not can_write_commentary(by):
        raise NotPermitted("Only the IRO service manager or a head of service can do this.")
    _check_year(year)
    if section not in ReportCommentary.Section.values:
        raise RuleViolation("Choose a section of the report.", field="section")
    existing = ReportCommentary.objects.select_for_update().filter(year=year, section=section)
    row = existing.first()
    if not text.strip():
        if row is not None:
            row.delete()
        return None
    row = row or ReportCommentary(year=year, section=section)
    row.text, row.updated_by = text.strip(), by
    row.full_clean()
    row.save()
    logger.info("commentary %s for %s written by %s", section, year, by.pk)
    return row
