"""The retention schedule: how long a child's records are kept, as a pure function.

No Django, no clock: it takes the stored dates of one child (``ChildFacts``) and the rules
in force (``RuleTerms``, kept as data by the system administrator) and returns the day the
record's retention ends. An import-linter contract keeps this module pure.

The statutory periods (defaults, ``DEFAULT_RULES``):

- a child who has been looked after: until the 75th birthday or, if the child died before
  turning 18, 15 years from the death (CPPCR 2010 reg 50);
- an adopted child: 100 years from the adoption order (Disclosure of Adoption Information
  (Post-Commencement Adoptions) Regulations 2005 reg 6). In SSDA903 the order's date is the
  DEC of the episode that ceased with REC E11 or E12;
- a child who was never looked after (child protection enquiries and plans only): a local
  rule. Default: until the 25th birthday or 6 years after the last enquiry or plan ended,
  whichever is later (the common council schedule for child protection records).

Where several rules apply (a looked-after child who was also on a plan, or later adopted)
the record is kept until the latest end any of them gives. Whatever the rules say, no
record ends before the child's 18th birthday, a record still in use (an open period of
care, enquiry or plan) has no end, and a legal hold overrides everything.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from timescales.calendar import add_years

ADULTHOOD = 18


class Category(StrEnum):
    LOOKED_AFTER = "looked_after"
    ADOPTED = "adopted"
    NEVER_LOOKED_AFTER = "never_looked_after"


CATEGORY_LABELS: Mapping[Category, str] = {
    Category.LOOKED_AFTER: "Child who has been looked after",
    Category.ADOPTED: "Adopted child",
    Category.NEVER_LOOKED_AFTER: "Child protection only (never looked after)",
}


class Basis(StrEnum):
    """Why a record has the end it has: a rule's category, or why it has none."""

    LOOKED_AFTER = Category.LOOKED_AFTER.value
    ADOPTED = Category.ADOPTED.value
    NEVER_LOOKED_AFTER = Category.NEVER_LOOKED_AFTER.value
    LEGAL_HOLD = "legal_hold"
    IN_USE = "in_use"
    NO_END = "no_end"


BASIS_LABELS: Mapping[Basis, str] = {
    **{Basis(category.value): label for category, label in CATEGORY_LABELS.items()},
    Basis.LEGAL_HOLD: "Legal hold",
    Basis.IN_USE: "Still in use",
    Basis.NO_END: "No rule gives an end",
}


@dataclass(frozen=True)
class RuleTerms:
    """One rule. Each term that is set gives an end date; the latest of them applies.

    ``years_after_death`` replaces the other terms when the child died before turning 18.
    ``years_after_closing`` counts from the category's closing event: the adoption order,
    the end of the last period of care, or the end of the last enquiry or plan.
    """

    category: Category
    until_birthday: int | None = None
    years_after_closing: int | None = None
    years_after_death: int | None = None


DEFAULT_RULES: Mapping[Category, RuleTerms] = {
    Category.LOOKED_AFTER: RuleTerms(
        Category.LOOKED_AFTER, until_birthday=75, years_after_death=15
    ),
    Category.ADOPTED: RuleTerms(Category.ADOPTED, years_after_closing=100),
    Category.NEVER_LOOKED_AFTER: RuleTerms(
        Category.NEVER_LOOKED_AFTER, until_birthday=25, years_after_closing=6
    ),
}


@dataclass(frozen=True)
class ChildFacts:
    """The stored dates of one child that retention depends on."""

    born: date  # the date of birth, or for an unborn child the expected date
    died: date | None = None  # the date of death, or the end of care with REC E2 (died)
    looked_after: bool = False  # has had a period of care
    care_ended: date | None = None  # the end of the last period of care
    adoption_order: date | None = None  # the DEC of an episode ceased E11 or E12
    protection_ended: date | None = None  # the end of the last s47 enquiry or CP plan
    in_use: bool = False  # an open period of care, s47 enquiry or CP plan
    on_hold: bool = False  # a legal hold is in place


@dataclass(frozen=True)
class RetentionEnd:
    ends_on: date | None  # the day retention ends; None: not while the basis stands
    basis: Basis


def _closing_event(category: Category, facts: ChildFacts) -> date | None:
    return {
        Category.LOOKED_AFTER: facts.care_ended,
        Category.ADOPTED: facts.adoption_order,
        Category.NEVER_LOOKED_AFTER: facts.protection_ended,
    }[category]


def applicable(facts: ChildFacts) -> list[Category]:
    categories = [Category.LOOKED_AFTER] if facts.looked_after else []
    if facts.adoption_order is not None:
        categories.append(Category.ADOPTED)
    if not facts.looked_after:
        categories.append(Category.NEVER_LOOKED_AFTER)
    return categories


def rule_end(terms: RuleTerms, facts: ChildFacts) -> date | None:
    """The end one rule gives, before the floor at the 18th birthday."""
    died = facts.died
    if terms.years_after_death is not None and died and died < add_years(facts.born, ADULTHOOD):
        return add_years(died, terms.years_after_death)
    ends = []
    if terms.until_birthday is not None:
        ends.append(add_years(facts.born, terms.until_birthday))
    closing = _closing_event(terms.category, facts)
    if terms.years_after_closing is not None and closing is not None:
        ends.append(add_years(closing, terms.years_after_closing))
    return max(ends, default=None)


def retention_end(facts: ChildFacts, rules: Mapping[Category, RuleTerms]) -> RetentionEnd:
    """The day the child's records may be destroyed from, and the rule that sets it.

    A legal hold wins over everything; a record in use has no end; otherwise the latest
    end of every rule that applies, and never before the 18th birthday. A rule missing
    from ``rules`` takes its default.
    """
    if facts.on_hold:
        return RetentionEnd(None, Basis.LEGAL_HOLD)
    if facts.in_use:
        return RetentionEnd(None, Basis.IN_USE)
    ends = [
        (end, category)
        for category in applicable(facts)
        if (end := rule_end(rules.get(category, DEFAULT_RULES[category]), facts)) is not None
    ]
    if not ends:
        return RetentionEnd(None, Basis.NO_END)
    end, category = max(ends)
    return RetentionEnd(max(end, add_years(facts.born, ADULTHOOD)), Basis(category.value))


def is_past(end: RetentionEnd, today: date) -> bool:
    """Whether the record may be destroyed on ``today``."""
    return end.ends_on is not None and end.ends_on <= today
