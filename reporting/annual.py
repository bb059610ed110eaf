"""The IRO annual report for a reporting year, with the year before beside it
(ANNUAL-REPORT-METRICS.md; issue 9).

``annual_metrics(year)`` is the one entry point for figures: every key of the definitions,
computed set-based (a fixed number of queries whatever the number of children).
``annual_report(year)`` wraps it for the page and the PDF: sections, labels, help text,
the population used, the managers' commentary, and the charts. Figures are aggregates
only, with no names; restricted children are counted in them like every other child.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString

from children import codes
from people.models import User
from reporting import charts
from reporting.metrics import audits, cla, cp, service
from reporting.metrics.catalogue import KEYS, METRICS, SECTIONS, Kind, Metric
from reporting.metrics.periods import Period, rate_per_10k, reporting_year, year_label
from reporting.models import Population, ReportCommentary
from reviews.models import PARTICIPATION_CODES
from timescales.services import working_calendar


def _population(year: int) -> Population | None:
    return Population.objects.filter(year=year).first()


def children_in_care_metrics(period: Period, population: int | None) -> dict[str, object]:
    end = period.end
    at_end = cla.looked_after_on(end)
    by_placement = cla.cla_by_placement(end)
    return {
        "cla_at_end": at_end,
        "cla_at_start": cla.looked_after_on(period.day_before),
        "cla_rate_per_10k": rate_per_10k(at_end, population),
        "cla_by_sex": cla.cla_by_sex(end),
        "cla_by_age": cla.cla_by_age(end),
        "cla_by_ethnicity": cla.cla_by_ethnicity(end),
        "cla_started": cla.cla_started(period),
        "cla_ceased": cla.cla_ceased(period),
        "cla_ceased_by_reason": cla.cla_ceased_by_reason(period),
        "cla_by_placement": by_placement,
        "cla_by_placement_group": cla.group_placements(by_placement),
        "cla_three_plus_placements_pct": cla.cla_three_plus_placements_pct(period),
        "cla_long_term_stability_pct": cla.cla_long_term_stability_pct(end),
        **cla.review_metrics(period),
        "cla_iro_visit_before_review_pct": cla.cla_iro_visit_before_review_pct(period),
    }


def child_protection_metrics(period: Period, population: int | None) -> dict[str, object]:
    end = period.end
    at_end = cp.children_on_plans(end)
    calendar = working_calendar()
    return {
        "cp_at_end": at_end,
        "cp_at_start": cp.children_on_plans(period.day_before),
        "cp_rate_per_10k": rate_per_10k(at_end, population),
        "cp_during_year": cp.cp_during(period),
        **cp.plan_flow(period),
        "cp_by_sex": cp.cp_by_sex(end),
        "cp_by_category": cp.cp_by_category(end),
        **cp.long_plans(end),
        **cp.icpc_metrics(period, calendar),
        **cp.rcpc_metrics(period),
    }


def iro_service_metrics(period: Period) -> dict[str, object]:
    return {
        **service.caseloads(period.end),
        **service.challenge_counts(period),
        "challenges_resolved_median_wd": service.challenges_resolved_median_wd(
            period, working_calendar()
        ),
        "cafcass_referrals": service.cafcass_referrals(period),
        **audits.audit_counts(period),
        "audit_completion_pct": audits.audit_completion_pct(period),
        "audit_question_yes_pct": audits.audit_question_yes_pct(period),
    }


def metrics_for(period: Period, population: int | None) -> dict[str, object]:
    """Every metric over ``period`` (any span: the "at start" counts are taken the day
    before it starts, the "at end" counts on its last day), keys in definition order."""
    values = {
        **children_in_care_metrics(period, population),
        **child_protection_metrics(period, population),
        **iro_service_metrics(period),
    }
    return {key: values[key] for key in KEYS}


def annual_metrics(year: int) -> dict[str, object]:
    """Every metric of ANNUAL-REPORT-METRICS.md for the reporting year starting 1 April
    ``year``, keyed exactly as defined. Percentages and rates are ``None`` when their
    denominator (or the population) is zero or missing."""
    population = _population(year)
    return metrics_for(reporting_year(year), population.population if population else None)


# The report: sections, rows and charts ----------------------------------------------------

SPLIT_LABELS: dict[str, dict[str, str]] = {
    "cla_by_sex": {"male": "Male", "female": "Female", "unknown": "Not known"},
    "cp_by_sex": {"male": "Male", "female": "Female", "unborn": "Unborn", "unknown": "Not known"},
    "cla_by_age": {
        "under_1": "Under 1",
        "1_to_4": "1 to 4",
        "5_to_9": "5 to 9",
        "10_to_15": "10 to 15",
        "16_plus": "16 and over",
    },
    "cla_by_ethnicity": dict(codes.ETHNICITY),
    "cla_ceased_by_reason": dict(codes.REASON_CEASED),
    "cla_by_placement": dict(codes.ALL_PLACE),
    "cla_by_placement_group": {
        "foster_connected": "Fostering: relatives or friends",
        "foster_other": "Fostering: other carers",
        "placed_with_parents": "Placed with parents",
        "childrens_homes": "Children's homes",
        "semi_independent": "Semi-independent or supported accommodation",
        "independent_living": "Independent living",
        "adoption": "Placed for adoption",
        "other": "Other placements",
    },
    "cp_by_category": {
        "NEG": "Neglect",
        "PHY": "Physical abuse",
        "EMO": "Emotional abuse",
        "SAB": "Sexual abuse",
        "MUL": "Multiple categories",
    },
    "cla_participation": dict(PARTICIPATION_CODES),
    "challenges_by_highest_stage": {
        "informal": "Informal",
        "stage_1": "Stage 1",
        "stage_2": "Stage 2",
        "stage_3": "Stage 3",
        "stage_4": "Stage 4",
        "cafcass": "Cafcass",
    },
    "challenges_cla_vs_cp": {
        "cla": "Child in care",
        "cp": "Child on a plan",
        "both": "Both",
        "service_level": "Service-level",
    },
    "audit_rag": {"red": "Red", "amber": "Amber", "green": "Green"},
}
# Short labels where the chart's label column is too narrow for the table's.
CHART_LABELS: dict[str, dict[str, str]] = {
    "cla_by_placement_group": {
        "foster_connected": "Fostering: connected",
        "foster_other": "Fostering: other",
        "placed_with_parents": "With parents",
        "semi_independent": "Semi-independent",
        "adoption": "Adoption",
        "other": "Other",
    },
    "cla_participation": {code: code for code, _ in PARTICIPATION_CODES},
}
PERCENT_SPLITS = frozenset({"audit_question_yes_pct"})
# Splits drawn as a chart (the others are tables only: they can be long).
CHARTED = frozenset(
    {
        "cla_by_age",
        "cla_by_placement_group",
        "cp_by_category",
        "cla_participation",
        "challenges_by_highest_stage",
        "audit_rag",
    }
)


def shown(value: object, unit: str = "", decimals: bool = False) -> str:
    """A figure as the page and the PDF print it: "No data" for a missing percentage;
    percentages and rates always with their one decimal place (25.0%)."""
    if value is None:
        return "No data"
    if isinstance(value, int | float) and (decimals or unit == "%"):
        return f"{float(value):,.1f}{unit}"
    if isinstance(value, int | float):
        return charts.format_value(value, unit)
    return str(value)


@dataclass(frozen=True)
class SplitLine:
    key: str
    label: str
    value: object
    previous: object
    unit: str = ""

    @property
    def shown(self) -> str:
        return shown(self.value, self.unit)

    @property
    def previous_shown(self) -> str:
        return shown(self.previous, self.unit)


@dataclass(frozen=True)
class Row:
    metric: Metric
    value: object
    previous: object
    lines: list[SplitLine] = field(default_factory=list)
    chart: SafeString | None = None

    @property
    def unit(self) -> str:
        return "%" if self.metric.kind == Kind.PERCENT else ""

    @property
    def decimals(self) -> bool:
        return self.metric.kind in (Kind.PERCENT, Kind.RATE)

    @property
    def shown(self) -> str:
        return shown(self.value, self.unit, self.decimals)

    @property
    def previous_shown(self) -> str:
        return shown(self.previous, self.unit, self.decimals)


@dataclass(frozen=True)
class ReportSection:
    slug: str
    title: str
    rows: list[Row]
    commentary: list[ReportCommentary] = field(default_factory=list)


@dataclass(frozen=True)
class AnnualReport:
    year: int
    label: str
    previous_label: str
    period: Period
    population: Population | None
    previous_population: Population | None
    metrics: dict[str, object]
    previous: dict[str, object]
    sections: list[ReportSection]
    commentary: list[ReportCommentary]

    @property
    def label_heading(self) -> str:
        """The year for a narrow column heading: a non-breaking hyphen keeps "2019-20" whole."""
        return self.label.replace("-", "\u2011")

    @property
    def previous_label_heading(self) -> str:
        return self.previous_label.replace("-", "\u2011")


def _label(key: str, code: str) -> str:
    names = SPLIT_LABELS.get(key, {})
    name = names.get(code)
    if name is None:
        return code
    return name if key in {"cla_participation"} or not code.isupper() else f"{code}: {name}"


def _split_lines(key: str, value: object, previous: object) -> list[SplitLine]:
    now = value if isinstance(value, dict) else {}
    before = previous if isinstance(previous, dict) else {}
    order = list(SPLIT_LABELS.get(key, {}))
    keys = [k for k in order if k in now or k in before]
    keys += sorted((set(now) | set(before)) - set(keys), key=str)
    unit = "%" if key in PERCENT_SPLITS else ""
    missing = None if unit else 0
    return [
        SplitLine(k, _label(key, k), now.get(k, missing), before.get(k, missing), unit)
        for k in keys
    ]


def _caseload_lines(value: object, previous: object, names: dict[str, str]) -> list[SplitLine]:
    now = value if isinstance(value, dict) else {}
    before = previous if isinstance(previous, dict) else {}
    keys = sorted(set(now) | set(before), key=int)
    return [SplitLine(k, names.get(k, f"Staff {k}"), now.get(k), before.get(k)) for k in keys]


def _chart(metric: Metric, lines: list[SplitLine], label: str) -> SafeString:
    """The year's split as bars, with its data table (charts.py draws both)."""
    return charts.bar_chart(
        [
            (CHART_LABELS.get(metric.key, {}).get(line.key, line.label), line.value)
            for line in lines
        ],
        title=f"{metric.label}, {label}",
        label_heading=metric.label,
        value_heading=label,
    )


def _rows(
    metrics: dict[str, object],
    previous: dict[str, object],
    labels: tuple[str, str],
    staff_names: dict[str, str],
) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {section.slug: [] for section in SECTIONS}
    for metric in METRICS:
        value, before = metrics[metric.key], previous[metric.key]
        lines: list[SplitLine] = []
        chart = None
        if metric.kind == Kind.SPLIT:
            lines = _split_lines(metric.key, value, before)
            if metric.key in CHARTED:
                chart = _chart(metric, lines, labels[0])
        elif metric.kind == Kind.CASELOADS:
            lines = _caseload_lines(value, before, staff_names)
        rows[metric.section].append(Row(metric, value, before, lines, chart))
    return rows


def _staff_names(*caseloads: object) -> dict[str, str]:
    """The IROs named in the caseload table (staff, not children: names are fine here)."""
    ids = {int(k) for table in caseloads if isinstance(table, dict) for k in table}
    return {
        str(user.pk): user.get_full_name() or user.email
        for user in User.objects.filter(pk__in=ids).only("first_name", "last_name", "email")
    }


def annual_report(year: int) -> AnnualReport:
    """The report for ``year`` with ``year - 1`` beside it, ready for the page and the PDF."""
    population, previous_population = _population(year), _population(year - 1)
    metrics = metrics_for(reporting_year(year), population.population if population else None)
    previous = metrics_for(
        reporting_year(year - 1), previous_population.population if previous_population else None
    )
    labels = (year_label(year), year_label(year - 1))
    names = _staff_names(metrics["iro_caseload_by_iro"], previous["iro_caseload_by_iro"])
    rows = _rows(metrics, previous, labels, names)
    commentary = list(ReportCommentary.objects.filter(year=year).select_related("updated_by"))
    return AnnualReport(
        year=year,
        label=labels[0],
        previous_label=labels[1],
        period=reporting_year(year),
        population=population,
        previous_population=previous_population,
        metrics=metrics,
        previous=previous,
        sections=[ReportSection(s.slug, s.title, rows[s.slug]) for s in SECTIONS],
        commentary=commentary,
    )


def default_year(today: date) -> int:
    """The latest reporting year that has ended: in 2026-11 that is 2025 (2025-26)."""
    return today.year - 2 if today.month < 4 else today.year - 1
