"""Reads for the rules page: every rule in force today with its local history."""

from dataclasses import dataclass
from datetime import date

from timescales.models import ExtraNonWorkingDay, LocalRuleValue
from timescales.rules import DEFAULT_RULES, Rule
from timescales.services import rule_books


@dataclass(frozen=True)
class RuleInForce:
    rule: Rule
    default_amount: int
    changes: list[LocalRuleValue]


def rules_in_force(*, on: date) -> list[RuleInForce]:
    """Each rule as it stands on ``on``, with every local change (newest first)."""
    book = rule_books()(on)
    changes: dict[str, list[LocalRuleValue]] = {}
    for value in LocalRuleValue.objects.select_related("changed_by"):
        changes.setdefault(value.rule_id, []).append(value)
    return [
        RuleInForce(
            rule=book[rule_id], default_amount=default.amount, changes=changes.get(rule_id, [])
        )
        for rule_id, default in DEFAULT_RULES.items()
    ]


def extra_non_working_days() -> list[ExtraNonWorkingDay]:
    return list(ExtraNonWorkingDay.objects.select_related("added_by"))
