"""Children looked after (ANNUAL-REPORT-METRICS.md, "Children looked after (CLA)").

Every function is one or two aggregate queries over all episodes or reviews. Short breaks
(legal status V3/V4) are excluded from every looked-after count, as in national statistics.
Restricted children are counted: these are aggregate figures with no names.
"""

from datetime import date

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from children.codes import SHORT_BREAK_LEGAL_STATUSES
from children.models import Child, Episode
from iro_service.core.models import RecordSource
from reporting.metrics.periods import Period, months_before, open_on, overlaps, pct, years_before
from reviews.models import ChildContact, Review

SHORT_BREAKS = tuple(sorted(SHORT_BREAK_LEGAL_STATUSES))
# RNE codes that start a placement: S starts a period of care, P/B/T/U change placement.
PLACEMENT_STARTS = ("S", "P", "B", "T", "U")
SEX_KEYS = {"M": "male", "F": "female", "U": "unknown"}
AGE_BANDS = ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus")
PARTICIPATION = tuple(f"PN{n}" for n in range(8))
PLACEMENT_GROUPS: dict[str, frozenset[str]] = {
    "foster_connected": frozenset({"U1", "U2", "U3"}),
    "foster_other": frozenset({"U4", "U5", "U6"}),
    "placed_with_parents": frozenset({"P1"}),
    "childrens_homes": frozenset({"K1", "K2", "R1"}),
    "semi_independent": frozenset({"H5", "K3"}),
    "independent_living": frozenset({"P2"}),
    "adoption": frozenset({"A3", "A4", "A5", "A6"}),
}
OTHER_GROUP = "other"
# The IRO "saw" the child: a contact in person or by video (a phone call is not seeing).
SEEN_CONTACTS = (ChildContact.How.VISIT, ChildContact.How.VIDEO)


def care_episodes() -> QuerySet[Episode]:
    """Episodes that count as being looked after (not short breaks)."""
    return Episode.objects.exclude(ls__in=SHORT_BREAKS)


def episodes_open_on(day: date) -> QuerySet[Episode]:
    """The episode of each child looked after on ``day``: DECOM <= day < DEC."""
    return care_episodes().filter(open_on(day, "decom", "dec"))


def _count_children(episodes: QuerySet[Episode]) -> int:
    return episodes.aggregate(n=Count("period__child", distinct=True))["n"]


def _split(episodes: QuerySet[Episode], field: str) -> dict[str, int]:
    rows = episodes.values(field).annotate(n=Count("period__child", distinct=True))
    return {row[field]: row["n"] for row in rows.order_by(field)}


def looked_after_on(day: date) -> int:
    """``cla_at_end`` / ``cla_at_start``: children looked after on ``day``."""
    return _count_children(episodes_open_on(day))


def cla_by_sex(day: date) -> dict[str, int]:
    """``cla_by_sex``: 903 SEX as stored (imports map 1/M, 2/F and U)."""
    counts = _split(episodes_open_on(day), "period__child__sex")
    return {key: counts.get(code, 0) for code, key in SEX_KEYS.items()}


def cla_by_age(day: date) -> dict[str, int]:
    """``cla_by_age``: completed years on ``day``, one conditional count per band."""
    born_by = {n: years_before(day, n) for n in (1, 5, 10, 16)}
    dob = "period__child__date_of_birth"
    bands = {
        "under_1": Q(**{f"{dob}__gt": born_by[1]}),
        "1_to_4": Q(**{f"{dob}__gt": born_by[5], f"{dob}__lte": born_by[1]}),
        "5_to_9": Q(**{f"{dob}__gt": born_by[10], f"{dob}__lte": born_by[5]}),
        "10_to_15": Q(**{f"{dob}__gt": born_by[16], f"{dob}__lte": born_by[10]}),
        "16_plus": Q(**{f"{dob}__lte": born_by[16]}),
    }
    return episodes_open_on(day).aggregate(
        **{band: Count("period__child", distinct=True, filter=q) for band, q in bands.items()}
    )


def cla_by_ethnicity(day: date) -> dict[str, int]:
    """``cla_by_ethnicity``: by 903 ETHNIC code; only codes with children appear."""
    return _split(episodes_open_on(day), "period__child__ethnicity")


def cla_by_placement(day: date) -> dict[str, int]:
    """``cla_by_placement``: the PLACE code of the episode open on ``day``."""
    return _split(episodes_open_on(day), "place")


def placement_group(code: str) -> str:
    return next((g for g, codes in PLACEMENT_GROUPS.items() if code in codes), OTHER_GROUP)


def group_placements(by_placement: dict[str, int]) -> dict[str, int]:
    """``cla_by_placement_group`` from ``cla_by_placement`` (no further query): every group
    is present; codes of any year fall in their group, unknown ones in ``other``."""
    groups = dict.fromkeys([*PLACEMENT_GROUPS, OTHER_GROUP], 0)
    for code, n in by_placement.items():
        groups[placement_group(code)] += n
    return groups


def cla_started(period: Period) -> int:
    """``cla_started``: children with a period of care starting in the period (RNE = S)."""
    return _count_children(
        care_episodes().filter(rne="S", decom__gte=period.start, decom__lte=period.end)
    )


def _endings(period: Period) -> QuerySet[Episode]:
    """Episodes that end a period of care in the period: DEC in it, REC present and not X1."""
    return (
        care_episodes()
        .filter(dec__gte=period.start, dec__lte=period.end)
        .exclude(rec="")
        .exclude(rec="X1")
    )


def cla_ceased(period: Period) -> int:
    """``cla_ceased``: children with a period of care ending in the period."""
    return _count_children(_endings(period))


def cla_ceased_by_reason(period: Period) -> dict[str, int]:
    """``cla_ceased_by_reason``: each child's last ending in the period, by REC."""
    later = _endings(period).filter(
        period__child=OuterRef("period__child"), dec__gt=OuterRef("dec")
    )
    return _split(_endings(period).filter(~Exists(later)), "rec")


def cla_three_plus_placements_pct(period: Period) -> float | None:
    """``cla_three_plus_placements_pct``: of children looked after at the end, the % with
    3 or more placements in the period. A placement is an episode overlapping the period
    that starts a period of care or a placement (RNE S, P, B, T, U), plus the episode open
    on the first day when it only changed legal status (RNE L): its placement began before.
    One grouped count over the children's episodes."""
    episodes = "periods_of_care__episodes"
    placement = Q(
        overlaps(period, f"{episodes}__decom", f"{episodes}__dec"),
        **{f"{episodes}__rne__in": PLACEMENT_STARTS},
    ) | Q(
        open_on(period.start, f"{episodes}__decom", f"{episodes}__dec"),
        **{f"{episodes}__rne": "L"},
    )
    placement &= ~Q(**{f"{episodes}__ls__in": SHORT_BREAKS})
    in_care = episodes_open_on(period.end).filter(period__child=OuterRef("pk"))
    totals = (
        Child.objects.filter(Exists(in_care))
        .annotate(placements=Count(episodes, filter=placement))
        .aggregate(all=Count("pk"), three=Count("pk", filter=Q(placements__gte=3)))
    )
    return pct(totals["three"], totals["all"])


def cla_long_term_stability_pct(day: date) -> float | None:
    """``cla_long_term_stability_pct``: of children looked after on ``day``, under 16, whose
    current period of care started on or before ``day`` - 2.5 years, the % whose current
    placement (DECOM of the latest episode with RNE S, P, B, T or U) began on or before
    ``day`` - 2 years."""
    placement_began = (
        Episode.objects.filter(period=OuterRef("period"), rne__in=PLACEMENT_STARTS, decom__lte=day)
        .order_by()
        .values("period")
        .annotate(latest=Max("decom"))
        .values("latest")
    )
    cohort = episodes_open_on(day).filter(
        period__start_date__lte=months_before(day, 30),
        period__child__date_of_birth__gt=years_before(day, 16),
    )
    totals = cohort.annotate(began=Subquery(placement_began)).aggregate(
        all=Count("period__child", distinct=True),
        stable=Count("period__child", distinct=True, filter=Q(began__lte=months_before(day, 24))),
    )
    return pct(totals["stable"], totals["all"])


def cla_reviews_held(period: Period) -> QuerySet[Review]:
    """Reviews held in the period, leaving out children whose every episode is a short
    break (903 rule 399: those reviews are not returned)."""
    in_care = care_episodes().filter(period__child=OuterRef("child"))
    return Review.objects.filter(
        Exists(in_care),
        status=Review.Status.HELD,
        held_date__gte=period.start,
        held_date__lte=period.end,
    )


def review_metrics(period: Period) -> dict[str, object]:
    """``cla_reviews_held``, ``cla_reviews_in_timescale_pct``, ``cla_participation`` and
    ``cla_pn7_pct`` from one aggregate. "In timescale" is the review's stored
    ``original_due_date`` (CLA-1 20 WD from the period's start, CLA-2 3 months after the
    first, CLA-3 6 months after the previous; rescheduling never moves it), the same test
    as ``Review.in_timescale``."""
    codes = {code: Count("pk", filter=Q(participation_code=code)) for code in PARTICIPATION}
    totals = cla_reviews_held(period).aggregate(
        held=Count("pk"),
        on_time=Count("pk", filter=Q(held_date__lte=F("original_due_date"))),
        **codes,
    )
    participation = {code: totals[code] for code in PARTICIPATION}
    coded = sum(participation.values()) - participation["PN0"]
    return {
        "cla_reviews_held": totals["held"],
        "cla_reviews_in_timescale_pct": pct(totals["on_time"], totals["held"]),
        "cla_participation": participation,
        "cla_pn7_pct": pct(participation["PN7"], coded),
    }


def cla_iro_visit_before_review_pct(period: Period) -> float | None:
    """``cla_iro_visit_before_review_pct``: of reviews held that were recorded in this
    application (imported reviews carry no contacts), the % where the IRO saw the child
    (a visit or a video call) between the previous review held in the same period of care,
    or the period's start, and the review date. ``None`` when no review was recorded."""
    previous = (
        Review.objects.filter(
            period=OuterRef("period"),
            status=Review.Status.HELD,
            held_date__lt=OuterRef("held_date"),
        )
        .order_by()
        .values("period")
        .annotate(latest=Max("held_date"))
        .values("latest")
    )
    window_start = Coalesce(Subquery(previous), F("period__start_date"))
    reviews = (
        cla_reviews_held(period).filter(source=RecordSource.RECORDED).annotate(since=window_start)
    )
    seen = ChildContact.objects.filter(
        review=OuterRef("pk"),
        how__in=SEEN_CONTACTS,
        on__gte=OuterRef("since"),
        on__lte=OuterRef("held_date"),
    )
    # Grouped by the flag rather than aggregated: an aggregate over these annotations
    # would be wrapped in a subquery that loses the window's start.
    counts = dict(
        reviews.annotate(seen=Exists(seen))
        .values("seen")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("seen", "n")
    )
    return pct(counts.get(True, 0), sum(counts.values()))
