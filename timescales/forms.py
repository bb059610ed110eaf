from django import forms

from iro_service.core.forms import GovukDateField
from timescales.rules import DEFAULT_RULES


class LocalRuleValueForm(forms.Form):
    """Change a local rule's amount from a date."""

    rule_id = forms.ChoiceField(
        label="Rule",
        choices=[
            (rule.id, f"{rule.id}: {rule.title}") for rule in DEFAULT_RULES.values() if rule.local
        ],
    )
    amount = forms.IntegerField(
        label="New amount",
        min_value=1,
        max_value=365,
        help_text="In the rule's own unit (working days, weeks, months or years of age).",
        error_messages={"required": "Enter the new amount", "min_value": "Enter 1 or more"},
    )
    effective_from = GovukDateField(
        label="Takes effect from",
        subject="Date it takes effect",
        help_text="Deadlines whose clock starts on or after this date use the new amount. "
        "For example, 1 4 2027.",
    )
    reason = forms.CharField(
        label="Why is it changing?",
        max_length=300,
        error_messages={"required": "Say why the rule is changing"},
    )


class ExtraNonWorkingDayForm(forms.Form):
    """A one-off bank holiday that the bank-holiday data does not know yet."""

    day = GovukDateField(label="Date", help_text="For example, 4 6 2027")
    description = forms.CharField(
        label="Name of the bank holiday",
        max_length=120,
        error_messages={"required": "Enter the name of the bank holiday"},
    )
