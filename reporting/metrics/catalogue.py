"""Every metric of the annual report: its key (exactly as ANNUAL-REPORT-METRICS.md writes
it), the section it is shown in, its label, its kind, and help text saying how it is
counted, including the choices made where the definition leaves room."""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE = "rate"
    NUMBER = "number"
    SPLIT = "split"
    CASELOADS = "caseloads"


@dataclass(frozen=True)
class Metric:
    key: str
    section: str
    label: str
    kind: Kind
    help: str


@dataclass(frozen=True)
class Section:
    slug: str
    title: str


SECTIONS = (
    Section("cla", "Children in care"),
    Section("cp", "Child protection"),
    Section("caseloads", "The IRO service: caseloads"),
    Section("timeliness", "The IRO service: timeliness"),
    Section("participation", "The IRO service: participation"),
    Section("challenges", "The IRO service: challenges"),
    Section("audits", "The IRO service: audits"),
)

_LA = (
    "Looked after on a date: an episode open that day (DECOM on or before it, DEC after "
    "it), not a short break (V3/V4)."
)
_AT_END = "31 March at the end of the year"

METRICS: tuple[Metric, ...] = (
    # Children in care.
    Metric(
        "cla_at_end",
        "cla",
        "Children in care at the end of the year",
        Kind.COUNT,
        f"Children looked after on {_AT_END}. {_LA}",
    ),
    Metric(
        "cla_at_start",
        "cla",
        "Children in care at the start of the year",
        Kind.COUNT,
        f"Children looked after on 31 March before the year began. {_LA}",
    ),
    Metric(
        "cla_rate_per_10k",
        "cla",
        "Children in care per 10,000 children",
        Kind.RATE,
        "Children in care at the end of the year divided by the 0-17 population entered "
        "for the year, times 10,000. No data when no population has been entered.",
    ),
    Metric(
        "cla_by_sex",
        "cla",
        "Children in care by sex",
        Kind.SPLIT,
        "Children in care at the end of the year by the sex recorded on the child.",
    ),
    Metric(
        "cla_by_age",
        "cla",
        "Children in care by age",
        Kind.SPLIT,
        "Children in care at the end of the year by age in completed years on 31 March "
        "(born on 29 February: a year older on 1 March).",
    ),
    Metric(
        "cla_by_ethnicity",
        "cla",
        "Children in care by ethnicity",
        Kind.SPLIT,
        "Children in care at the end of the year by 903 ethnicity code; only codes with "
        "children are listed.",
    ),
    Metric(
        "cla_started",
        "cla",
        "Children who started to be looked after",
        Kind.COUNT,
        "Children with a period of care starting in the year: an episode with reason "
        "S whose DECOM is in the year, not a short break.",
    ),
    Metric(
        "cla_ceased",
        "cla",
        "Children who ceased to be looked after",
        Kind.COUNT,
        "Children with a period of care ending in the year: an episode whose DEC is in "
        "the year with a reason other than X1, not a short break.",
    ),
    Metric(
        "cla_ceased_by_reason",
        "cla",
        "Reasons children ceased to be looked after",
        Kind.SPLIT,
        "Each child's last ending in the year, by 903 reason episode ceased.",
    ),
    Metric(
        "cla_by_placement",
        "cla",
        "Children in care by placement",
        Kind.SPLIT,
        "Children in care at the end of the year by the placement code of the episode "
        "open on 31 March.",
    ),
    Metric(
        "cla_by_placement_group",
        "cla",
        "Children in care by type of placement",
        Kind.SPLIT,
        "The placements grouped: connected-person fostering U1-U3, other fostering "
        "U4-U6, placed with parents P1, children's homes K1, K2, R1, semi-independent H5, "
        "K3, independent living P2, adoption A3-A6, and every other code (including Z1 "
        "and Z11-Z14) as other.",
    ),
    Metric(
        "cla_three_plus_placements_pct",
        "cla",
        "Children with 3 or more placements",
        Kind.PERCENT,
        "Of children in care at the end of the year, the percentage with 3 or more "
        "placements in the year. A placement is an episode overlapping the year that "
        "starts a period of care or a placement (reason S, P, B, T or U); the episode "
        "open on 1 April also counts when it only changed legal status (reason L), as "
        "its placement began before 1 April. Short-break episodes are not placements.",
    ),
    Metric(
        "cla_long_term_stability_pct",
        "cla",
        "Long-term placement stability",
        Kind.PERCENT,
        "Of children in care on 31 March, under 16, whose current period of care "
        "started at least 2.5 years before (30 September two years before the year "
        "began, or earlier), the percentage whose current placement began at least 2 "
        "years before (on or before 31 March a year before the year began). The "
        "placement began at the DECOM of the latest episode with reason S, P, B, T or "
        "U. The period of care's start is the one recorded on the period.",
    ),
    # Child protection.
    Metric(
        "cp_at_end",
        "cp",
        "Children on a plan at the end of the year",
        Kind.COUNT,
        "Children with a child protection plan open on 31 March (started on or before, "
        "not ended on or before).",
    ),
    Metric(
        "cp_at_start",
        "cp",
        "Children on a plan at the start of the year",
        Kind.COUNT,
        "The same on 31 March before the year began.",
    ),
    Metric(
        "cp_rate_per_10k",
        "cp",
        "Children on a plan per 10,000 children",
        Kind.RATE,
        "Children on a plan at the end of the year divided by the 0-17 population, "
        "times 10,000. No data when no population has been entered.",
    ),
    Metric(
        "cp_during_year",
        "cp",
        "Children on a plan during the year",
        Kind.COUNT,
        "Children with a plan open on at least one day of the year.",
    ),
    Metric("cp_started", "cp", "Plans started", Kind.COUNT, "Plans that started in the year."),
    Metric("cp_ended", "cp", "Plans ended", Kind.COUNT, "Plans that ended in the year."),
    Metric(
        "cp_by_sex",
        "cp",
        "Children on a plan by sex",
        Kind.SPLIT,
        "Children on a plan on 31 March by sex; unborn when there is no date of birth "
        "and the expected date of birth is after 31 March.",
    ),
    Metric(
        "cp_by_category",
        "cp",
        "Plans by category of abuse",
        Kind.SPLIT,
        "Plans open on 31 March by their latest category; several categories count as "
        "MUL. A plan with no category recorded is not counted.",
    ),
    Metric(
        "cp_repeat_pct",
        "cp",
        "Plans that were a second or later plan",
        Kind.PERCENT,
        "Of plans started in the year, the percentage with one or more previous plans.",
    ),
    Metric(
        "cp_ended_2y_plus_pct",
        "cp",
        "Plans ended after 2 years or more",
        Kind.PERCENT,
        "Of plans ended in the year, the percentage whose end date was on or after the "
        "start date plus 2 calendar years.",
    ),
    Metric(
        "cp_open_over_15m",
        "cp",
        "Plans open more than 15 months",
        Kind.COUNT,
        "Plans open on 31 March that started more than 15 calendar months before it.",
    ),
    Metric(
        "cp_open_over_2y",
        "cp",
        "Plans open more than 2 years",
        Kind.COUNT,
        "Plans open on 31 March that started more than 2 calendar years before it.",
    ),
    # The IRO service: caseloads.
    Metric(
        "iro_fte",
        "caseloads",
        "IROs (full-time equivalent)",
        Kind.NUMBER,
        "Total FTE of active staff holding the IRO or senior IRO role. Roles are not "
        "dated: the current roles are used for past years; the FTE is the one in the "
        "person's history on 31 March.",
    ),
    Metric(
        "iro_caseload_mean",
        "caseloads",
        "Children per full-time IRO",
        Kind.NUMBER,
        "Children allocated to an IRO on 31 March who were in care or on a plan (or "
        "both), each child once per IRO, divided by the IROs' total FTE. Guidance: "
        "50-70 per full-time IRO.",
    ),
    Metric(
        "iro_caseload_by_iro",
        "caseloads",
        "Caseload of each IRO",
        Kind.CASELOADS,
        "For each IRO (by staff number): children allocated on 31 March, FTE, and "
        "children per FTE. Someone no longer an IRO who still held allocations is "
        "listed with their current FTE, which is not added to the total.",
    ),
    # The IRO service: timeliness.
    Metric(
        "cla_reviews_held",
        "timeliness",
        "Children in care reviews held",
        Kind.COUNT,
        "Reviews held in the year, recorded or imported, leaving out children whose "
        "every episode is a short break.",
    ),
    Metric(
        "cla_reviews_in_timescale_pct",
        "timeliness",
        "Reviews held in timescale",
        Kind.PERCENT,
        "Of reviews held, the percentage held on or before the due date stored when the "
        "review fell due: first review 20 working days after the period of care "
        "started, second 3 months after the first, later ones 6 months after the "
        "previous. Rescheduling never moves it.",
    ),
    Metric(
        "icpc_held",
        "timeliness",
        "Initial conferences held",
        Kind.COUNT,
        "Initial child protection conferences held in the year, including pre-birth "
        "initial conferences; transfer-in conferences are not counted.",
    ),
    Metric(
        "icpc_in_timescale_pct",
        "timeliness",
        "Initial conferences within 15 working days of the strategy discussion",
        Kind.PERCENT,
        "Of initial conferences held after a recorded strategy discussion, the "
        "percentage held on or before the 15th working day after it (the day of the "
        "discussion is day 0).",
    ),
    Metric(
        "icpc_s47_in_15wd_pct",
        "timeliness",
        "Initial conferences within 15 working days of the section 47 start",
        Kind.PERCENT,
        "The national measure's starting point: of initial conferences held with a "
        "section 47 start date on or before the conference, the percentage held on or "
        "before the 15th working day after it (day 0 convention).",
    ),
    Metric(
        "rcpc_held",
        "timeliness",
        "Review conferences held",
        Kind.COUNT,
        "Review child protection conferences held in the year.",
    ),
    Metric(
        "rcpc_in_timescale_pct",
        "timeliness",
        "Review conferences held in timescale",
        Kind.PERCENT,
        "Of review conferences held, the percentage held on or before the due date "
        "stored for it: first 3 months after the initial conference, later ones 6 "
        "months after the previous. A pre-birth plan's first review conference is "
        "judged against the initial conference plus 3 months, not the stricter local "
        "birth + 10 working days.",
    ),
    # The IRO service: participation.
    Metric(
        "cla_participation",
        "participation",
        "How children took part in their reviews",
        Kind.SPLIT,
        "Reviews held in the year by participation code PN0-PN7; a review with no code "
        "is not in the split.",
    ),
    Metric(
        "cla_pn7_pct",
        "participation",
        "Reviews where the child gave no views",
        Kind.PERCENT,
        "Of reviews held with a code other than PN0 (and not blank), the percentage coded PN7.",
    ),
    Metric(
        "cla_iro_visit_before_review_pct",
        "participation",
        "Reviews where the IRO saw the child beforehand",
        Kind.PERCENT,
        "Of reviews held that were recorded in this service (imported reviews carry no "
        "contacts), the percentage where the IRO recorded a visit or video call with "
        "the child between the previous review in the period of care (or its start) "
        "and the review date. Phone calls are not seeing the child. No data when no "
        "review was recorded here.",
    ),
    # The IRO service: challenges.
    Metric(
        "challenges_raised",
        "challenges",
        "Challenges raised",
        Kind.COUNT,
        "Issues Resolution challenges raised in the year; a challenge about a sibling "
        "group or the service counts once.",
    ),
    Metric(
        "challenges_by_reason",
        "challenges",
        "Challenges by reason",
        Kind.SPLIT,
        "Challenges raised in the year by reason; a challenge with two reasons counts under each.",
    ),
    Metric(
        "challenges_by_highest_stage",
        "challenges",
        "Challenges by the highest stage reached",
        Kind.SPLIT,
        "Challenges raised in the year by the stage they reached (stages only move "
        "forward, so this is the stage they are at or ended at).",
    ),
    Metric(
        "challenges_cla_vs_cp",
        "challenges",
        "Challenges about children in care or on a plan",
        Kind.SPLIT,
        "Challenges raised in the year by their children's status on the day raised: "
        "in care, on a plan, both (any child in care and any on a plan), or "
        "service-level. A challenge about children who were neither is not counted.",
    ),
    Metric(
        "challenges_resolved_median_wd",
        "challenges",
        "Median working days to resolve a challenge",
        Kind.NUMBER,
        "Over challenges resolved in the year (status resolved; withdrawn or closed "
        "after Cafcass are not resolutions), the median number of working days from "
        "the day raised (day 0) to the day resolved; with an even number, the mean of "
        "the middle two.",
    ),
    Metric(
        "cafcass_referrals",
        "challenges",
        "Referrals to Cafcass",
        Kind.COUNT,
        "Referrals to Cafcass made in the year (referred or answered; requests not "
        "approved are not referrals).",
    ),
    # The IRO service: audits.
    Metric(
        "audits_completed",
        "audits",
        "Audits completed",
        Kind.COUNT,
        "Audits completed in the year (status completed, completion date in the year).",
    ),
    Metric(
        "audit_completion_pct",
        "audits",
        "Meetings audited",
        Kind.PERCENT,
        "Of children in care reviews and child protection conferences held in the year, "
        "the percentage with a completed audit linked to them (whenever it was "
        "completed).",
    ),
    Metric(
        "audit_rag",
        "audits",
        "Audits by rating",
        Kind.SPLIT,
        "Audits completed in the year by overall rating (after any override).",
    ),
    Metric(
        "audit_question_yes_pct",
        "audits",
        "Answers 'yes' by question",
        Kind.SPLIT,
        "For each question code, of answers in audits completed in the year that are "
        "not 'not applicable', the percentage 'yes'.",
    ),
)

BY_KEY = {metric.key: metric for metric in METRICS}
# The order of ANNUAL-REPORT-METRICS.md, which the API and ``annual_metrics`` follow (the
# page groups them by section instead).
KEYS = (
    "cla_at_end", "cla_at_start", "cla_rate_per_10k", "cla_by_sex", "cla_by_age",
    "cla_by_ethnicity", "cla_started", "cla_ceased", "cla_ceased_by_reason",
    "cla_by_placement", "cla_by_placement_group", "cla_three_plus_placements_pct",
    "cla_long_term_stability_pct", "cla_reviews_held", "cla_reviews_in_timescale_pct",
    "cla_participation", "cla_pn7_pct", "cla_iro_visit_before_review_pct",
    "cp_at_end", "cp_at_start", "cp_rate_per_10k", "cp_during_year", "cp_started",
    "cp_ended", "cp_by_sex", "cp_by_category", "cp_repeat_pct", "cp_ended_2y_plus_pct",
    "cp_open_over_15m", "cp_open_over_2y", "icpc_held", "icpc_in_timescale_pct",
    "icpc_s47_in_15wd_pct", "rcpc_held", "rcpc_in_timescale_pct",
    "iro_fte", "iro_caseload_mean", "iro_caseload_by_iro", "challenges_raised",
    "challenges_by_reason", "challenges_by_highest_stage", "challenges_cla_vs_cp",
    "challenges_resolved_median_wd", "cafcass_referrals", "audits_completed",
    "audit_completion_pct", "audit_rag", "audit_question_yes_pct",
)  # fmt: skip
if set(KEYS) != set(BY_KEY) or len(KEYS) != len(BY_KEY):
    raise ImportError("Every metric key needs a catalogue entry and a place in KEYS.")
