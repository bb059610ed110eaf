"""The floor of the annual report benchmark: every metric of ANNUAL-REPORT-METRICS.md computed
by hand-written SQL aggregates (one statement per group of metrics), for comparison with
``reporting.annual.annual_metrics``. Each statement does the least work its figures need;
Python only turns counts into percentages and dictionaries.

Working days: the hand-written SQL numbers the days of the span with a running count of
working days (weekdays that are not a bank holiday or an extra non-working day), so "start +
15 WD" is the working day numbered 15 more than the start, and "working days between" is
the difference of two numbers (DOMAIN.md: the event day is day 0). Bank holidays come from
the same ``holidays`` package as the application; the extra days from their table.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from children.codes import LEGAL_STATUS
from timescales.calendar import add_months
from timescales.services import england_bank_holidays

SHORT_BREAKS = ["V3", "V4"]
PLACEMENT_STARTS = ["S", "P", "B", "T", "U"]
PARTICIPATION = [f"PN{n}" for n in range(8)]
SEX_KEYS = {"M": "male", "F": "female", "U": "unknown"}
CP_SEX_KEYS = {**SEX_KEYS, "unborn": "unborn"}
AGE_BANDS = ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus")
CATEGORIES = ("NEG", "PHY", "EMO", "SAB", "MUL")
STAGES = ("informal", "stage_1", "stage_2", "stage_3", "stage_4", "cafcass")
RAGS = ("red", "amber", "green")
GROUPS = {
    "foster_connected": ("U1", "U2", "U3"),
    "foster_other": ("U4", "U5", "U6"),
    "placed_with_parents": ("P1",),
    "childrens_homes": ("K1", "K2", "R1"),
    "semi_independent": ("H5", "K3"),
    "independent_living": ("P2",),
    "adoption": ("A3", "A4", "A5", "A6"),
}

# Shared fragments ------------------------------------------------------------------------

PARTICIPATION_COUNTS = ", ".join(
    f"count(*) FILTER (WHERE r.participation_code = '{code}')" for code in PARTICIPATION
)

CARE = "e.ls <> ALL(%(short_breaks)s)"
OPEN_END = f"{CARE} AND e.decom <= %(end)s AND (e.dec IS NULL OR e.dec > %(end)s)"
OPEN_BEFORE = f"{CARE} AND e.decom <= %(before)s AND (e.dec IS NULL OR e.dec > %(before)s)"
PLAN_OPEN_END = "pl.start_date <= %(end)s AND (pl.end_date IS NULL OR pl.end_date > %(end)s)"
PLAN_OPEN_BEFORE = (
    "pl.start_date <= %(before)s AND (pl.end_date IS NULL OR pl.end_date > %(before)s)"
)
HELD_REVIEWS = """reviews_review r WHERE r.status = 'held'
    AND r.held_date BETWEEN %(start)s AND %(end)s
    AND EXISTS (SELECT 1 FROM children_episode ce
                JOIN children_periodofcare cp ON cp.id = ce.period_id
                WHERE cp.child_id = r.child_id AND ce.ls <> ALL(%(short_breaks)s))"""
# Days numbered by a running count of working days, over the span the clocks need.
WORKING_DAYS = """days AS (
    SELECT d::date AS d,
           sum(CASE WHEN extract(isodow FROM d) < 6 AND d::date <> ALL(%(closed)s)
                    THEN 1 ELSE 0 END) OVER (ORDER BY d) AS n,
           extract(isodow FROM d) < 6 AND d::date <> ALL(%(closed)s) AS working
    FROM generate_series(%(span_from)s::date, %(span_to)s::date, interval '1 day') d)"""

STATEMENTS: dict[str, str] = {
    # Children looked after --------------------------------------------------------------
    "cla_open": f"""
        SELECT count(DISTINCT p.child_id) FILTER (WHERE {OPEN_END}),
               count(DISTINCT p.child_id) FILTER (WHERE {OPEN_BEFORE}),
               count(DISTINCT p.child_id) FILTER (WHERE e.rne = 'S' AND {CARE}
                   AND e.decom BETWEEN %(start)s AND %(end)s),
               count(DISTINCT p.child_id) FILTER (WHERE {CARE}
                   AND e.dec BETWEEN %(start)s AND %(end)s AND e.rec NOT IN ('', 'X1'))
        FROM children_episode e JOIN children_periodofcare p ON p.id = e.period_id""",
    "cla_by_child": f"""
        SELECT c.sex, c.ethnicity, e.place,
               CASE WHEN c.date_of_birth > %(born_1)s THEN 'under_1'
                    WHEN c.date_of_birth > %(born_5)s THEN '1_to_4'
                    WHEN c.date_of_birth > %(born_10)s THEN '5_to_9'
                    WHEN c.date_of_birth > %(born_16)s THEN '10_to_15'
                    WHEN c.date_of_birth <= %(born_16)s THEN '16_plus' END,
               count(DISTINCT c.id)
        FROM children_episode e JOIN children_periodofcare p ON p.id = e.period_id
        JOIN children_child c ON c.id = p.child_id
        WHERE {OPEN_END}
        GROUP BY 1, 2, 3, 4""",
    "cla_ceased_by_reason": f"""
        SELECT rec, count(DISTINCT child_id) FROM (
            SELECT e.rec, p.child_id,
                   rank() OVER (PARTITION BY p.child_id ORDER BY e.dec DESC) AS latest
            FROM children_episode e JOIN children_periodofcare p ON p.id = e.period_id
            WHERE {CARE} AND e.dec BETWEEN %(start)s AND %(end)s AND e.rec NOT IN ('', 'X1')
        ) endings WHERE latest = 1 GROUP BY rec""",
    "cla_three_plus": f"""
        SELECT count(*), count(*) FILTER (WHERE placements >= 3) FROM (
            SELECT p.child_id,
                   count(*) FILTER (WHERE e.ls <> ALL(%(short_breaks)s) AND (
                       (e.rne = ANY(%(placement_starts)s) AND e.decom <= %(end)s
                        AND (e.dec IS NULL OR e.dec > %(start)s))
                       OR (e.rne = 'L' AND e.decom <= %(start)s
                           AND (e.dec IS NULL OR e.dec > %(start)s)))) AS placements,
                   bool_or({OPEN_END}) AS in_care
            FROM children_episode e JOIN children_periodofcare p ON p.id = e.period_id
            GROUP BY p.child_id
        ) per_child WHERE in_care""",
    "cla_stability": f"""
        SELECT count(DISTINCT p.child_id),
               count(DISTINCT p.child_id) FILTER (WHERE (
                   SELECT max(pe.decom) FROM children_episode pe
                   WHERE pe.period_id = e.period_id AND pe.rne = ANY(%(placement_starts)s)
                     AND pe.decom <= %(end)s) <= %(months_24)s)
        FROM children_episode e JOIN children_periodofcare p ON p.id = e.period_id
        JOIN children_child c ON c.id = p.child_id
        WHERE {OPEN_END} AND p.start_date <= %(months_30)s AND c.date_of_birth > %(born_16)s""",
    "cla_reviews": f"""
        SELECT count(*), count(*) FILTER (WHERE r.held_date <= r.original_due_date),
               {PARTICIPATION_COUNTS}
        FROM {HELD_REVIEWS}""",
    "cla_iro_visit": f"""
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM reviews_childcontact cc
                   WHERE cc.review_id = r.id AND cc.how IN ('visit', 'video')
                     AND cc."on" >= coalesce(
                         (SELECT max(prev.held_date) FROM reviews_review prev
                          WHERE prev.period_id = r.period_id AND prev.status = 'held'
                            AND prev.held_date < r.held_date),
                         (SELECT pc.start_date FROM children_periodofcare pc
                          WHERE pc.id = r.period_id))
                     AND cc."on" <= r.held_date))
        FROM {HELD_REVIEWS} AND r.source = 'recorded'""",
    # Child protection -------------------------------------------------------------------
    "cp_children": f"""
        SELECT count(DISTINCT pl.child_id) FILTER (WHERE {PLAN_OPEN_END}),
               count(DISTINCT pl.child_id) FILTER (WHERE {PLAN_OPEN_BEFORE}),
               count(DISTINCT pl.child_id) FILTER (WHERE pl.start_date <= %(end)s
                   AND (pl.end_date IS NULL OR pl.end_date > %(start)s)),
               count(*) FILTER (WHERE pl.start_date BETWEEN %(start)s AND %(end)s),
               count(*) FILTER (WHERE pl.start_date BETWEEN %(start)s AND %(end)s
                   AND pl.previous_plans > 0),
               count(*) FILTER (WHERE pl.end_date BETWEEN %(start)s AND %(end)s),
               count(*) FILTER (WHERE pl.end_date BETWEEN %(start)s AND %(end)s
                   AND pl.end_date >= (pl.start_date + interval '24 months')::date),
               count(*) FILTER (WHERE {PLAN_OPEN_END} AND pl.start_date < %(months_15)s),
               count(*) FILTER (WHERE {PLAN_OPEN_END} AND pl.start_date < %(months_24)s)
        FROM children_childprotectionplan pl""",
    "cp_by_sex": f"""
        SELECT CASE WHEN c.date_of_birth IS NULL AND c.expected_date_of_birth > %(end)s
                    THEN 'unborn' ELSE c.sex END, count(DISTINCT c.id)
        FROM children_childprotectionplan pl JOIN children_child c ON c.id = pl.child_id
        WHERE {PLAN_OPEN_END} GROUP BY 1""",
    "cp_by_category": f"""
        SELECT CASE WHEN jsonb_array_length(pl.latest_categories) > 1 THEN 'MUL'
                    WHEN jsonb_array_length(pl.latest_categories) = 1
                    THEN pl.latest_categories ->> 0 END, count(*)
        FROM children_childprotectionplan pl WHERE {PLAN_OPEN_END} GROUP BY 1""",
    "icpc": f"""
        WITH {WORKING_DAYS}
        SELECT count(*),
               count(*) FILTER (WHERE s.strategy_discussion_date <= k.held_on),
               count(*) FILTER (WHERE s.strategy_discussion_date <= k.held_on
                   AND k.held_on <= CASE
                       WHEN k.rule_id = 'CP-1' AND k.clock_start = s.strategy_discussion_date
                       THEN k.original_due_date ELSE strategy_due.d END),
               count(*) FILTER (WHERE s.start_date <= k.held_on),
               count(*) FILTER (WHERE s.start_date <= k.held_on AND k.held_on <= s47_due.d)
        FROM conferences_conference k
        LEFT JOIN children_s47enquiry s ON s.id = k.s47_enquiry_id
        LEFT JOIN days strategy ON strategy.d = s.strategy_discussion_date
        LEFT JOIN days strategy_due ON strategy_due.working AND strategy_due.n = strategy.n + 15
        LEFT JOIN days s47 ON s47.d = s.start_date
        LEFT JOIN days s47_due ON s47_due.working AND s47_due.n = s47.n + 15
        WHERE k.conference_type IN ('icpc', 'pre_birth') AND k.status = 'held'
          AND k.held_on BETWEEN %(start)s AND %(end)s""",
    "rcpc": """
        SELECT count(*), count(*) FILTER (WHERE k.held_on <= CASE
                   WHEN k.rule_id = 'CP-8' AND k.cp_plan_id IS NOT NULL
                   THEN (pl.start_date + interval '3 months')::date
                   ELSE k.original_due_date END)
        FROM conferences_conference k
        LEFT JOIN children_childprotectionplan pl ON pl.id = k.cp_plan_id
        WHERE k.conference_type = 'rcpc' AND k.status = 'held'
          AND k.held_on BETWEEN %(start)s AND %(end)s""",
    # IRO service ------------------------------------------------------------------------
    "caseloads": f"""
        WITH iros AS (
            SELECT u.id, coalesce((SELECT h.fte FROM people_historicaluser h
                                   WHERE h.id = u.id AND h.history_date <= %(end_of_day)s
                                   ORDER BY h.history_date DESC LIMIT 1), u.fte) AS fte
            FROM people_user u WHERE u.is_active AND EXISTS (
                SELECT 1 FROM people_user_groups ug JOIN auth_group g ON g.id = ug.group_id
                WHERE ug.user_id = u.id AND g.name IN ('IRO', 'Senior IRO'))),
        counts AS (
            SELECT a.user_id, count(DISTINCT a.child_id) AS n FROM children_allocation a
            WHERE a.kind = 'iro' AND a.start_date <= %(end)s
              AND (a.end_date IS NULL OR a.end_date > %(end)s)
              AND (a.child_id IN (SELECT p.child_id FROM children_episode e
                                  JOIN children_periodofcare p ON p.id = e.period_id
                                  WHERE {OPEN_END})
                   OR a.child_id IN (SELECT pl.child_id FROM children_childprotectionplan pl
                                     WHERE {PLAN_OPEN_END}))
            GROUP BY a.user_id)
        SELECT coalesce(i.id, c.user_id), coalesce(c.n, 0), i.id IS NOT NULL,
               coalesce(i.fte, (SELECT u.fte FROM people_user u WHERE u.id = c.user_id))
        FROM iros i FULL JOIN counts c ON c.user_id = i.id""",
    "challenges": """
        SELECT count(*),
               count(*) FILTER (WHERE scope = 'service'),
               count(*) FILTER (WHERE scope <> 'service' AND was_cla AND was_cp),
               count(*) FILTER (WHERE scope <> 'service' AND was_cla AND NOT was_cp),
               count(*) FILTER (WHERE scope <> 'service' AND NOT was_cla AND was_cp),
               """
    + ", ".join(f"count(*) FILTER (WHERE stage = '{stage}')" for stage in STAGES)
    + """
        FROM (SELECT ch.scope, ch.stage,
                     EXISTS (SELECT 1 FROM challenges_challenge_children cc
                             JOIN children_periodofcare p ON p.child_id = cc.child_id
                             JOIN children_episode e ON e.period_id = p.id
                             WHERE cc.challenge_id = ch.id AND e.ls = ANY(%(care_statuses)s)
                               AND e.decom <= ch.raised_on
                               AND (e.dec IS NULL OR e.dec > ch.raised_on)) AS was_cla,
                     EXISTS (SELECT 1 FROM challenges_challenge_children cc
                             JOIN children_childprotectionplan pl ON pl.child_id = cc.child_id
                             WHERE cc.challenge_id = ch.id AND pl.start_date <= ch.raised_on
                               AND (pl.end_date IS NULL OR pl.end_date > ch.raised_on)) AS was_cp
              FROM challenges_challenge ch
              WHERE ch.raised_on BETWEEN %(start)s AND %(end)s) raised""",
    "challenge_reasons": """
        SELECT r.code, count(DISTINCT ch.id) FROM challenges_challenge ch
        JOIN challenges_challenge_reasons cr ON cr.challenge_id = ch.id
        JOIN challenges_challengereason r ON r.id = cr.challengereason_id
        WHERE ch.raised_on BETWEEN %(start)s AND %(end)s GROUP BY r.code""",
    "challenge_median": f"""
        WITH {WORKING_DAYS}
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY finished.n - raised.n)
        FROM challenges_challenge ch
        JOIN days raised ON raised.d = ch.raised_on
        JOIN days finished ON finished.d = ch.finished_on
        WHERE ch.status = 'resolved' AND ch.finished_on BETWEEN %(start)s AND %(end)s""",
    "cafcass": """
        SELECT count(*) FROM challenges_cafcassreferral
        WHERE referred_on BETWEEN %(start)s AND %(end)s AND status IN ('referred', 'concluded')""",
    "audits": """
        SELECT count(*), """
    + ", ".join(f"count(*) FILTER (WHERE rating = '{rag}')" for rag in RAGS)
    + """
        FROM audits_audit
        WHERE status = 'completed' AND completed_on BETWEEN %(start)s AND %(end)s""",
    "audit_completion": f"""
        SELECT (SELECT count(*) FROM {HELD_REVIEWS}),
               (SELECT count(*) FROM {HELD_REVIEWS} AND EXISTS (
                    SELECT 1 FROM audits_audit a WHERE a.review_id = r.id
                    AND a.status = 'completed')),
               (SELECT count(*) FROM conferences_conference k WHERE k.status = 'held'
                AND k.held_on BETWEEN %(start)s AND %(end)s),
               (SELECT count(*) FROM conferences_conference k WHERE k.status = 'held'
                AND k.held_on BETWEEN %(start)s AND %(end)s AND EXISTS (
                    SELECT 1 FROM audits_audit a WHERE a.conference_id = k.id
                    AND a.status = 'completed'))""",
    "audit_questions": """
        SELECT q.code, count(*) FILTER (WHERE an.answer NOT IN ('na', '')),
               count(*) FILTER (WHERE an.answer = 'yes')
        FROM audits_auditanswer an JOIN audits_audit a ON a.id = an.audit_id
        JOIN audits_auditquestion q ON q.id = an.question_id
        WHERE a.status = 'completed' AND a.completed_on BETWEEN %(start)s AND %(end)s
        GROUP BY q.code""",
    "population": "SELECT population FROM reporting_population WHERE year = %(year)s LIMIT 1",
}


def _pct(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _rate(count: int, population: int | None) -> float | None:
    return round(count * 10_000 / population, 1) if population else None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _months_before(day: date, months: int) -> date:
    return add_months(day, -months)  # the same clamping as PostgreSQL's intervals


def parameters(year: int) -> dict[str, Any]:
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT date FROM timescales_extranonworkingday")
        extra = [day for (day,) in cursor.fetchall()]
    return {
        "year": year,
        "start": start,
        "end": end,
        "before": start - timedelta(days=1),
        "short_breaks": SHORT_BREAKS,
        "placement_starts": PLACEMENT_STARTS,
        "care_statuses": sorted(set(LEGAL_STATUS) - set(SHORT_BREAKS)),
        **{f"born_{n}": _years_before(end, n) for n in (1, 5, 10, 16)},
        **{f"months_{n}": _months_before(end, n) for n in (15, 24, 30)},
        "end_of_day": datetime.combine(end, time.max, tzinfo=ZoneInfo("Europe/London")),
        "closed": sorted(england_bank_holidays() | set(extra)),
        # Clocks start up to a few years before the year and end weeks after it (a date
        # outside the span would change a figure, and the bench would say so).
        "span_from": date(year - 5, 1, 1),
        "span_to": date(year + 1, 12, 31),
    }


def run(params: Mapping[str, Any]) -> dict[str, list[tuple]]:
    """Every statement, once: their rows by name."""
    rows = {}
    with connection.cursor() as cursor:
        for name, sql in STATEMENTS.items():
            cursor.execute(sql, params)
            rows[name] = cursor.fetchall()
    return rows


def floor_metrics(year: int) -> dict[str, object]:
    """Every metric for the reporting year starting 1 April ``year``, from the statements."""
    rows = run(parameters(year))
    population = rows["population"][0][0] if rows["population"] else None
    at_end, at_start, started, ceased = rows["cla_open"][0]
    by_sex, by_age, by_ethnicity, by_place = {}, dict.fromkeys(AGE_BANDS, 0), {}, {}
    # Each child has one open episode on the day (one period open at a time), so the
    # grouped counts add up per value.
    for sex, ethnicity, place, band, n in rows["cla_by_child"]:
        by_sex[sex] = by_sex.get(sex, 0) + n
        by_ethnicity[ethnicity] = by_ethnicity.get(ethnicity, 0) + n
        by_place[place] = by_place.get(place, 0) + n
        if band is not None:
            by_age[band] += n
    groups = dict.fromkeys([*GROUPS, "other"], 0)
    for place, n in by_place.items():
        groups[next((g for g, codes in GROUPS.items() if place in codes), "other")] += n
    three_all, three = rows["cla_three_plus"][0]
    stable_all, stable = rows["cla_stability"][0]
    held, on_time, *codes = rows["cla_reviews"][0]
    participation = dict(zip(PARTICIPATION, codes, strict=True))
    visit_all, visit_seen = rows["cla_iro_visit"][0]
    cp = rows["cp_children"][0]
    cp_sex = dict(rows["cp_by_sex"])
    categories = dict(rows["cp_by_category"])
    icpc = rows["icpc"][0]
    rcpc = rows["rcpc"][0]
    caseloads = _caseloads(rows["caseloads"])
    challenges = rows["challenges"][0]
    median = rows["challenge_median"][0][0]
    audits = rows["audits"][0]
    completion = rows["audit_completion"][0]
    return {
        "cla_at_end": at_end,
        "cla_at_start": at_start,
        "cla_rate_per_10k": _rate(at_end, population),
        "cla_by_sex": {key: by_sex.get(code, 0) for code, key in SEX_KEYS.items()},
        "cla_by_age": by_age,
        "cla_by_ethnicity": dict(sorted(by_ethnicity.items())),
        "cla_started": started,
        "cla_ceased": ceased,
        "cla_ceased_by_reason": dict(sorted(rows["cla_ceased_by_reason"])),
        "cla_by_placement": dict(sorted(by_place.items())),
        "cla_by_placement_group": groups,
        "cla_three_plus_placements_pct": _pct(three, three_all),
        "cla_long_term_stability_pct": _pct(stable, stable_all),
        "cla_reviews_held": held,
        "cla_reviews_in_timescale_pct": _pct(on_time, held),
        "cla_participation": participation,
        "cla_pn7_pct": _pct(participation["PN7"], sum(codes) - participation["PN0"]),
        "cla_iro_visit_before_review_pct": _pct(visit_seen, visit_all),
        "cp_at_end": cp[0],
        "cp_at_start": cp[1],
        "cp_rate_per_10k": _rate(cp[0], population),
        "cp_during_year": cp[2],
        "cp_started": cp[3],
        "cp_ended": cp[5],
        "cp_by_sex": {key: cp_sex.get(code, 0) for code, key in CP_SEX_KEYS.items()},
        "cp_by_category": {category: categories.get(category, 0) for category in CATEGORIES},
        "cp_repeat_pct": _pct(cp[4], cp[3]),
        "cp_ended_2y_plus_pct": _pct(cp[6], cp[5]),
        "cp_open_over_15m": cp[7],
        "cp_open_over_2y": cp[8],
        "icpc_held": icpc[0],
        "icpc_in_timescale_pct": _pct(icpc[2], icpc[1]),
        "icpc_s47_in_15wd_pct": _pct(icpc[4], icpc[3]),
        "rcpc_held": rcpc[0],
        "rcpc_in_timescale_pct": _pct(rcpc[1], rcpc[0]),
        **caseloads,
        "challenges_raised": challenges[0],
        "challenges_by_reason": dict(sorted(rows["challenge_reasons"])),
        "challenges_by_highest_stage": dict(zip(STAGES, challenges[5:], strict=True)),
        "challenges_cla_vs_cp": {
            "cla": challenges[3],
            "cp": challenges[4],
            "both": challenges[2],
            "service_level": challenges[1],
        },
        "challenges_resolved_median_wd": float(median) if median is not None else None,
        "cafcass_referrals": rows["cafcass"][0][0],
        "audits_completed": audits[0],
        "audit_completion_pct": _pct(completion[1] + completion[3], completion[0] + completion[2]),
        "audit_rag": dict(zip(RAGS, audits[1:], strict=True)),
        "audit_question_yes_pct": {
            code: _pct(yes, n) for code, n, yes in sorted(rows["audit_questions"])
        },
    }


def _caseloads(rows: list[tuple]) -> dict[str, object]:
    total_fte = float(sum(fte for _, _, is_iro, fte in rows if is_iro))
    children = sum(n for _, n, _, _ in rows)
    return {
        "iro_fte": round(total_fte, 2),
        "iro_caseload_mean": round(children / total_fte, 1) if total_fte else None,
        "iro_caseload_by_iro": {
            str(pk): {
                "children": n,
                "fte": float(fte),
                "per_fte": round(n / float(fte), 1) if fte else None,
            }
            for pk, n, _, fte in sorted(rows)
        },
    }
