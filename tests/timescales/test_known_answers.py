"""Hand-checked due dates on the real England calendar.

Every expected value was counted by hand against a printed calendar
(``python -c "import calendar; print(calendar.month(2022, 6))"``) and the GOV.UK
england-and-wales list (DATA-FORMATS.md section 4), never by running the code under test.
Convention (DOMAIN.md): the event day is day 0; if it is not a working day, the next
working day is day 1. Each comment shows the count.
"""

from collections.abc import Callable
from datetime import date

import pytest

from tests.timescales.bank_holidays import ENGLAND
from timescales.calendar import add_months, add_weeks

OPS: dict[str, Callable] = {
    "add": ENGLAND.add_working_days,
    "subtract": ENGLAND.subtract_working_days,
    "between": ENGLAND.working_days_between,
    "months": add_months,
    "weeks": add_weeks,
    "working": lambda d, _: ENGLAND.is_working_day(d),
    "next": lambda d, _: ENGLAND.next_working_day(d),
}

D = date

CASES = [
    # --- The two examples checked in DOMAIN.md section 11 ---
    # Mon 22 Dec 2025: 1 Tue 23, 2 Wed 24, [Thu 25 Christmas, Fri 26 Boxing Day, weekend],
    # 3 Mon 29, 4 Tue 30, 5 Wed 31, [Thu 1 Jan], 6 Fri 2, 7-11 Mon 5-Fri 9, 12 Mon 12,
    # 13 Tue 13, 14 Wed 14, 15 Thu 15 Jan 2026.
    pytest.param("add", D(2025, 12, 22), 15, D(2026, 1, 15), id="domain-xmas-2025+15"),
    # Thu 17 Apr 2025: [Fri 18 Good Friday, weekend, Mon 21 Easter Monday], 1-4 Tue 22-Fri 25,
    # 5-9 Mon 28-Fri 2 May, [Mon 5 May early May], 10-13 Tue 6-Fri 9, 14 Mon 12, 15 Tue 13.
    pytest.param("add", D(2025, 4, 17), 15, D(2025, 5, 13), id="domain-easter-2025+15"),
    # --- Easter, several years ---
    # Event on Good Friday 18 Apr 2025 (a bank holiday): next working day Tue 22 is day 1.
    pytest.param("add", D(2025, 4, 18), 1, D(2025, 4, 22), id="easter-2025-good-friday+1"),
    # Good Friday 2025 + 20 WD (CLA-1): day 1 Tue 22 Apr ... 15 Tue 13 May (as above, the
    # same working days), 16 Wed 14, 17 Thu 15, 18 Fri 16, 19 Mon 19, 20 Tue 20 May.
    pytest.param("add", D(2025, 4, 18), 20, D(2025, 5, 20), id="easter-2025-good-friday+20"),
    # Thu 28 Mar 2024: [Fri 29 Good Friday, weekend, Mon 1 Apr Easter Monday], 1 Tue 2 Apr.
    pytest.param("add", D(2024, 3, 28), 1, D(2024, 4, 2), id="easter-2024+1"),
    # Wed 27 Mar 2024 + 10 WD (CP-4): 1 Thu 28, [29 Mar-1 Apr], 2-5 Tue 2-Fri 5 Apr,
    # 6-10 Mon 8-Fri 12 Apr.
    pytest.param("add", D(2024, 3, 27), 10, D(2024, 4, 12), id="easter-2024+10"),
    # Thu 6 Apr 2023 + 15 WD (CP-1): [Fri 7 GF, weekend, Mon 10 EM], 1-4 Tue 11-Fri 14,
    # 5-9 Mon 17-Fri 21, 10-14 Mon 24-Fri 28, [Mon 1 May early May], 15 Tue 2 May.
    pytest.param("add", D(2023, 4, 6), 15, D(2023, 5, 2), id="easter-2023+15"),
    # Thu 9 Apr 2020 + 5 WD: [Fri 10 GF, weekend, Mon 13 EM], 1-4 Tue 14-Fri 17, 5 Mon 20.
    pytest.param("add", D(2020, 4, 9), 5, D(2020, 4, 20), id="easter-2020+5"),
    # Wed 12 Apr 2028 + 5 WD: 1 Thu 13, [Fri 14 GF, weekend, Mon 17 EM], 2-5 Tue 18-Fri 21.
    pytest.param("add", D(2028, 4, 12), 5, D(2028, 4, 21), id="easter-2028+5"),
    # --- Christmas and New Year ---
    # Tue 24 Dec 2024 + 5 WD: [Wed 25, Thu 26], 1 Fri 27, 2 Mon 30, 3 Tue 31, [Wed 1 Jan],
    # 4 Thu 2, 5 Fri 3 Jan 2025.
    pytest.param("add", D(2024, 12, 24), 5, D(2025, 1, 3), id="xmas-2024+5"),
    # Whole of 2025: 365 days from Wed 1 Jan = 52 weeks + a Wednesday = 261 weekdays, less
    # 8 weekday bank holidays (1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug, 25 Dec, 26 Dec).
    pytest.param("between", D(2024, 12, 31), D(2025, 12, 31), 253, id="between-year-2025"),
    # --- Substitute days ---
    # Christmas 2021 (Sat 25, Sun 26) observed Mon 27 and Tue 28: Fri 24 Dec + 1 = Wed 29.
    pytest.param("add", D(2021, 12, 24), 1, D(2021, 12, 29), id="subst-xmas-2021+1"),
    # Fri 24 Dec 2021 + 5 WD: 1 Wed 29, 2 Thu 30, 3 Fri 31, [Sat 1 Jan observed Mon 3 Jan],
    # 4 Tue 4, 5 Wed 5 Jan 2022.
    pytest.param("add", D(2021, 12, 24), 5, D(2022, 1, 5), id="subst-xmas-2021+5"),
    # Thu 23 Dec 2021 + 15 WD (CP-1): 1 Fri 24, 2 Wed 29, 3 Thu 30, 4 Fri 31, 5-8 Tue 4-Fri 7,
    # 9-13 Mon 10-Fri 14, 14 Mon 17, 15 Tue 18 Jan 2022.
    pytest.param("add", D(2021, 12, 23), 15, D(2022, 1, 18), id="subst-xmas-2021+15"),
    # Event on Christmas Day 2021 (a Saturday): next working day Wed 29 Dec is day 1.
    pytest.param("add", D(2021, 12, 25), 1, D(2021, 12, 29), id="subst-event-on-xmas-2021"),
    pytest.param("working", D(2021, 12, 27), None, False, id="subst-mon-27-dec-2021"),
    pytest.param("working", D(2021, 12, 28), None, False, id="subst-tue-28-dec-2021"),
    # Boxing Day 2026 is a Saturday, observed Mon 28 Dec 2026.
    pytest.param("working", D(2026, 12, 28), None, False, id="subst-boxing-day-2026"),
    # Thu 24 Dec 2026: [Fri 25 Christmas, weekend, Mon 28 substitute], 1 Tue 29 Dec.
    pytest.param("add", D(2026, 12, 24), 1, D(2026, 12, 29), id="subst-boxing-2026+1"),
    # Thu 24 Dec 2026 + 5 WD: 1 Tue 29, 2 Wed 30, 3 Thu 31, [Fri 1 Jan 2027], 4 Mon 4, 5 Tue 5.
    pytest.param("add", D(2026, 12, 24), 5, D(2027, 1, 5), id="subst-boxing-2026+5"),
    # Christmas 2015 Fri 25, Boxing Day Sat 26 observed Mon 28: Thu 24 Dec + 4 WD =
    # 1 Tue 29, 2 Wed 30, 3 Thu 31, [Fri 1 Jan 2016], 4 Mon 4 Jan 2016.
    pytest.param("add", D(2015, 12, 24), 4, D(2016, 1, 4), id="subst-boxing-2015+4"),
    # Christmas 2027 (Sat, Sun) observed Mon 27 and Tue 28; New Year (Sat 1 Jan 2028)
    # observed Mon 3 Jan: Fri 24 Dec 2027 + 4 = 1 Wed 29, 2 Thu 30, 3 Fri 31, 4 Tue 4 Jan.
    pytest.param("add", D(2027, 12, 24), 4, D(2028, 1, 4), id="subst-xmas-2027+4"),
    # --- One-off bank holidays ---
    # Platinum Jubilee: Thu 2 Jun 2022 (spring bank holiday) and Fri 3 Jun 2022.
    # Wed 1 Jun + 1 WD: [Thu 2, Fri 3, weekend], 1 Mon 6 Jun.
    pytest.param("add", D(2022, 6, 1), 1, D(2022, 6, 6), id="jubilee-2022+1"),
    # Mon 30 May 2022 + 10 WD: 1 Tue 31, 2 Wed 1 Jun, [Thu 2, Fri 3], 3-7 Mon 6-Fri 10,
    # 8 Mon 13, 9 Tue 14, 10 Wed 15 Jun.
    pytest.param("add", D(2022, 5, 30), 10, D(2022, 6, 15), id="jubilee-2022+10"),
    # Event on the Jubilee holiday itself: next working day Mon 6 Jun is day 1.
    pytest.param("add", D(2022, 6, 3), 1, D(2022, 6, 6), id="jubilee-2022-event-on-holiday"),
    # Diamond Jubilee 2012: Mon 4 Jun (spring, moved) and Tue 5 Jun. Fri 1 Jun + 1 = Wed 6.
    pytest.param("add", D(2012, 6, 1), 1, D(2012, 6, 6), id="jubilee-2012+1"),
    # State Funeral Mon 19 Sep 2022: Fri 16 Sep + 1 WD = Tue 20 Sep.
    pytest.param("add", D(2022, 9, 16), 1, D(2022, 9, 20), id="state-funeral-2022+1"),
    # Mon 12 Sep 2022 + 15 WD: 1-4 Tue 13-Fri 16, [Mon 19], 5-8 Tue 20-Fri 23,
    # 9-13 Mon 26-Fri 30, 14 Mon 3 Oct, 15 Tue 4 Oct.
    pytest.param("add", D(2022, 9, 12), 15, D(2022, 10, 4), id="state-funeral-2022+15"),
    pytest.param("working", D(2022, 9, 19), None, False, id="state-funeral-2022-closed"),
    # Coronation Mon 8 May 2023: Fri 5 May + 1 WD = Tue 9 May.
    pytest.param("add", D(2023, 5, 5), 1, D(2023, 5, 9), id="coronation-2023+1"),
    # Fri 28 Apr 2023 + 10 WD: [Mon 1 May early May], 1-4 Tue 2-Fri 5, [Mon 8 Coronation],
    # 5-8 Tue 9-Fri 12, 9 Mon 15, 10 Tue 16 May.
    pytest.param("add", D(2023, 4, 28), 10, D(2023, 5, 16), id="coronation-2023+10"),
    # 2020: the early May bank holiday moved from Mon 4 May to Fri 8 May (VE Day).
    pytest.param("working", D(2020, 5, 4), None, True, id="ve-day-2020-mon-4-may-working"),
    pytest.param("working", D(2020, 5, 8), None, False, id="ve-day-2020-fri-8-may-closed"),
    # Fri 1 May 2020 + 1 WD: Mon 4 May is a working day, so it is day 1.
    pytest.param("add", D(2020, 5, 1), 1, D(2020, 5, 4), id="ve-day-2020-fri-1-may+1"),
    # Fri 1 May 2020 + 10 WD: 1-4 Mon 4-Thu 7, [Fri 8 VE Day], 5-9 Mon 11-Fri 15, 10 Mon 18.
    pytest.param("add", D(2020, 5, 1), 10, D(2020, 5, 18), id="ve-day-2020+10"),
    pytest.param("next", D(2020, 5, 8), None, D(2020, 5, 11), id="ve-day-2020-next"),
    pytest.param("next", D(2020, 5, 4), None, D(2020, 5, 4), id="ve-day-2020-next-is-itself"),
    # --- Events on weekends ---
    # Sat 11 Jan 2025: next working day Mon 13 is day 1.
    pytest.param("add", D(2025, 1, 11), 1, D(2025, 1, 13), id="weekend-sat+1"),
    # Sun 12 Jan 2025 + 5 WD: 1-5 Mon 13-Fri 17 Jan.
    pytest.param("add", D(2025, 1, 12), 5, D(2025, 1, 17), id="weekend-sun+5"),
    # Sun 4 Jan 2026 + 20 WD (CLA-1): 1-5 Mon 5-Fri 9, 6-10, 11-15, 16-20 Mon 26-Fri 30 Jan.
    pytest.param("add", D(2026, 1, 4), 20, D(2026, 1, 30), id="weekend-sun+20"),
    # Within 0 WD is the event day itself, even on a Saturday.
    pytest.param("add", D(2025, 12, 27), 0, D(2025, 12, 27), id="zero-on-saturday"),
    pytest.param("next", D(2021, 12, 25), None, D(2021, 12, 29), id="next-after-xmas-2021"),
    # --- Leap years ---
    # Wed 28 Feb 2024 + 1 WD = Thu 29 Feb 2024.
    pytest.param("add", D(2024, 2, 28), 1, D(2024, 2, 29), id="leap-2024-28-feb+1"),
    # Thu 29 Feb 2024 + 21 WD: 1 Fri 1 Mar, 2-6 Mon 4-Fri 8, 7-11, 12-16 Mon 18-Fri 22,
    # 17 Mon 25, 18 Tue 26, 19 Wed 27, 20 Thu 28, [Fri 29 GF, weekend, Mon 1 Apr EM], 21 Tue 2.
    pytest.param("add", D(2024, 2, 29), 21, D(2024, 4, 2), id="leap-2024-29-feb+21"),
    # Tue 29 Feb 2028 + 15 WD: 1-3 Wed 1-Fri 3 Mar, 4-8 Mon 6-Fri 10, 9-13 Mon 13-Fri 17,
    # 14 Mon 20, 15 Tue 21 Mar 2028.
    pytest.param("add", D(2028, 2, 29), 15, D(2028, 3, 21), id="leap-2028-29-feb+15"),
    # Whole of 2024: 366 days from Mon 1 Jan = 52 weeks + Mon, Tue = 262 weekdays, less 8
    # bank holidays (1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec).
    pytest.param("between", D(2023, 12, 31), D(2024, 12, 31), 254, id="between-year-2024"),
    pytest.param("months", D(2024, 2, 29), 3, D(2024, 5, 29), id="leap-29-feb-2024+3m"),
    pytest.param("months", D(2024, 2, 29), 12, D(2025, 2, 28), id="leap-29-feb-2024+12m"),
    pytest.param("months", D(2024, 2, 29), 24, D(2026, 2, 28), id="leap-29-feb-2024+2y"),
    pytest.param("months", D(2024, 2, 29), 48, D(2028, 2, 29), id="leap-29-feb-2024+4y"),
    pytest.param("months", D(2028, 2, 29), 6, D(2028, 8, 29), id="leap-29-feb-2028+6m"),
    # --- Month clamping: 29/30/31 January and August ---
    pytest.param("months", D(2025, 1, 29), 1, D(2025, 2, 28), id="clamp-29-jan-2025+1m"),
    pytest.param("months", D(2025, 1, 30), 1, D(2025, 2, 28), id="clamp-30-jan-2025+1m"),
    pytest.param("months", D(2025, 1, 31), 1, D(2025, 2, 28), id="clamp-31-jan-2025+1m"),
    pytest.param("months", D(2024, 1, 29), 1, D(2024, 2, 29), id="clamp-29-jan-2024+1m"),
    pytest.param("months", D(2024, 1, 30), 1, D(2024, 2, 29), id="clamp-30-jan-2024+1m"),
    pytest.param("months", D(2024, 1, 31), 1, D(2024, 2, 29), id="clamp-31-jan-2024+1m"),
    # DOMAIN.md example: 31 Jan + 3 months = 30 Apr.
    pytest.param("months", D(2025, 1, 31), 3, D(2025, 4, 30), id="clamp-31-jan-2025+3m"),
    pytest.param("months", D(2025, 8, 29), 6, D(2026, 2, 28), id="clamp-29-aug-2025+6m"),
    pytest.param("months", D(2025, 8, 30), 6, D(2026, 2, 28), id="clamp-30-aug-2025+6m"),
    pytest.param("months", D(2025, 8, 31), 6, D(2026, 2, 28), id="clamp-31-aug-2025+6m"),
    pytest.param("months", D(2027, 8, 29), 6, D(2028, 2, 29), id="clamp-29-aug-2027+6m-leap"),
    pytest.param("months", D(2027, 8, 31), 6, D(2028, 2, 29), id="clamp-31-aug-2027+6m-leap"),
    pytest.param("months", D(2023, 8, 30), 6, D(2024, 2, 29), id="clamp-30-aug-2023+6m-leap"),
    pytest.param("months", D(2025, 5, 31), 6, D(2025, 11, 30), id="clamp-31-may+6m"),
    # --- Weeks are 7 calendar days, holidays or not ---
    pytest.param("weeks", D(2025, 4, 18), 1, D(2025, 4, 25), id="weeks-good-friday+1w"),
    # 25 Dec 2025 + 42 days: 1 Jan, 8, 15, 22, 29 Jan, 5 Feb 2026.
    pytest.param("weeks", D(2025, 12, 25), 6, D(2026, 2, 5), id="weeks-xmas+6w"),
    # Mon 26 Feb 2024 + 7: 27, 28, 29 Feb, 1, 2, 3, 4 Mar.
    pytest.param("weeks", D(2024, 2, 26), 1, D(2024, 3, 4), id="weeks-over-29-feb-2024"),
    # --- working_days_between ---
    pytest.param("between", D(2025, 4, 17), D(2025, 5, 13), 15, id="between-easter-2025"),
    pytest.param("between", D(2025, 5, 13), D(2025, 4, 17), -15, id="between-reversed"),
    # (Fri 18 Apr 2025, Tue 22 Apr]: Sat, Sun, Easter Monday are closed; Tue 22 counts.
    pytest.param("between", D(2025, 4, 18), D(2025, 4, 22), 1, id="between-from-good-friday"),
    # (Sat 20 Dec 2025, Sun 4 Jan 2026]: Mon 22, Tue 23, Wed 24, Mon 29, Tue 30, Wed 31, Fri 2.
    pytest.param("between", D(2025, 12, 20), D(2026, 1, 4), 7, id="between-weekend-to-weekend"),
    pytest.param("between", D(2022, 9, 19), D(2022, 9, 19), 0, id="between-same-day"),
    # 2022: 365 days from Sat 1 Jan = 52 weeks + a Saturday = 260 weekdays, less 10 weekday
    # bank holidays (3 Jan, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 29 Aug, 19 Sep, 26, 27 Dec).
    pytest.param("between", D(2021, 12, 31), D(2022, 12, 31), 250, id="between-year-2022"),
    # --- subtract_working_days: "reports due N WD before the conference" (CP-10) ---
    # RCPC Tue 22 Apr 2025, 5 WD before: [Mon 21 EM, weekend, Fri 18 GF], 1 Thu 17, 2 Wed 16,
    # 3 Tue 15, 4 Mon 14, 5 Fri 11 Apr.
    pytest.param("subtract", D(2025, 4, 22), 5, D(2025, 4, 11), id="subtract-rcpc-easter"),
    # ICPC Tue 22 Apr 2025, 2 WD before: 1 Thu 17, 2 Wed 16 Apr.
    pytest.param("subtract", D(2025, 4, 22), 2, D(2025, 4, 16), id="subtract-icpc-easter"),
    # Mon 12 Jan 2026, 5 WD before: 1 Fri 9, 2 Thu 8, 3 Wed 7, 4 Tue 6, 5 Mon 5 Jan.
    pytest.param("subtract", D(2026, 1, 12), 5, D(2026, 1, 5), id="subtract-plain-week"),
    # Mon 5 Jan 2026, 5 WD before: 1 Fri 2, [Thu 1 Jan], 2 Wed 31, 3 Tue 30, 4 Mon 29,
    # [Fri 26, Thu 25], 5 Wed 24 Dec 2025.
    pytest.param("subtract", D(2026, 1, 5), 5, D(2025, 12, 24), id="subtract-over-xmas-2025"),
    # Tue 4 Jan 2022, 2 WD before: [Mon 3 Jan substitute], 1 Fri 31 Dec, 2 Thu 30 Dec 2021.
    pytest.param("subtract", D(2022, 1, 4), 2, D(2021, 12, 30), id="subtract-over-new-year"),
    # Wed 29 Dec 2021, 1 WD before: [Tue 28, Mon 27 substitutes, weekend], Fri 24 Dec.
    pytest.param("subtract", D(2021, 12, 29), 1, D(2021, 12, 24), id="subtract-substitutes"),
    # Tue 9 May 2023, 2 WD before: [Mon 8 Coronation], 1 Fri 5, 2 Thu 4 May.
    pytest.param("subtract", D(2023, 5, 9), 2, D(2023, 5, 4), id="subtract-coronation"),
    # Conference on Sat 4 Jun 2022 (end itself never counts): [Fri 3, Thu 2], 1 Wed 1 Jun.
    pytest.param("subtract", D(2022, 6, 4), 1, D(2022, 6, 1), id="subtract-from-saturday"),
    # Mon 6 Jun 2022, 2 WD before: [weekend, Fri 3, Thu 2], 1 Wed 1 Jun, 2 Tue 31 May.
    pytest.param("subtract", D(2022, 6, 6), 2, D(2022, 5, 31), id="subtract-jubilee"),
    pytest.param("subtract", D(2022, 6, 4), 0, D(2022, 6, 4), id="subtract-zero"),
]


@pytest.mark.parametrize(("op", "subject", "amount", "expected"), CASES)
def test_known_answer(op: str, subject: date, amount: object, expected: object) -> None:
    assert OPS[op](subject, amount) == expected


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 45
