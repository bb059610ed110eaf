"""Reminder rules over the children app's records: CLA-11, CP-1, health assessments
(H-1, H-2) and PEPs (E-1) overdue; CLA-16 caseloads and the bank-holiday calendar.
Registered by ``RemindersConfig.ready`` (children may not import reminders); reviews and
conferences register theirs in their apps.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse

from children.models import Child, PeriodOfCare, S47Enquiry
from people.models import User
from people.roles import Role
from people.selectors import users_with_roles
from reminders.models import Group
from reminders.registry import ReminderRule, Threshold, register
from timescales.calendar import WorkingCalendar, add_months
from timescales.models import ExtraNonWorkingDay
from timescales.services import HOLIDAY_YEARS, england_bank_holidays

# CLA-16: guidance is 50-70 looked-after children per full-time IRO; warn above 70.
CASELOAD_WARNING_PER_FTE = 70
# England has eight bank holidays a year; a year with fewer in the data is not known.
ENGLAND_BANK_HOLIDAYS_PER_YEAR = 8
CALENDAR_WARNING_MONTHS = 12


def _everyone_with(roles: Iterable[Role]) -> list[int]:
    return list(users_with_roles(roles).values_list("pk", flat=True))


def _to_all(subject_ids: list[int], user_ids: list[int]) -> dict[int, list[int]]:
    return {subject_id: user_ids for subject_id in subject_ids}


def allocation_recipients(subject_ids: list[int]) -> Mapping[int, Iterable[int]]:
    """CLA-11: IRO service managers and business support (they allocate)."""
    return _to_all(subject_ids, _everyone_with([Role.IRO_MANAGER, Role.BUSINESS_SUPPORT]))


def business_support(subject_ids: list[int]) -> Mapping[int, Iterable[int]]:
    """Every business support officer, for each subject: they book reviews and conferences
    and circulate their records (CP-1, REV-BOOK, CONF-BOOK and the like)."""
    return _to_all(subject_ids, _everyone_with([Role.BUSINESS_SUPPORT]))


def administrators(subject_ids: list[int]) -> Mapping[int, Iterable[int]]:
    return _to_all(subject_ids, _everyone_with([Role.SYSTEM_ADMIN]))


def _week_start(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


def caseloads_above_threshold(today: date, calendar: WorkingCalendar) -> list[dict]:
    """CLA-16: IROs with more children than 70 x FTE. One query; the subject's "due date" is
    the Monday of this week, so the alert repeats weekly while the caseload stays high."""
    counts = dict(
        Child.objects.filter(iro__isnull=False, iro__is_active=True)
        .values("iro_id")
        .annotate(n=Count("pk"))
        .values_list("iro_id", "n")
    )
    rows = []
    for iro_id, fte in User.objects.filter(pk__in=counts).values_list("pk", "fte"):
        limit = int(Decimal(CASELOAD_WARNING_PER_FTE) * fte)
        if counts[iro_id] > limit:
            rows.append(
                {
                    "id": iro_id,
                    "due": _week_start(today),
                    "child_id": None,
                    "count": counts[iro_id],
                    "limit": limit,
                    "threshold": "above",
                }
            )
    return rows


def calendar_known_until(today: date) -> date:
    """The last day the working calendar's bank-holiday data is known to cover.

    ``holidays`` computes England's regular bank holidays by formula for any year, so
    "known" means: the years the service generates (``HOLIDAY_YEARS``) that each hold all
    eight regular bank holidays, counting on from this year without a gap, and no later than
    the package's own ``end_year``. One-off holidays (a coronation, a state funeral) are
    never known in advance: administrators add them as extra non-working days, and upgrading
    ``holidays`` brings the ones announced since. A gap this year means nothing is known.
    """
    import holidays

    per_year: dict[int, int] = {}
    for day in england_bank_holidays():
        per_year[day.year] = per_year.get(day.year, 0) + 1
    last_year = min(HOLIDAY_YEARS[-1], holidays.GB.end_year)
    year = today.year
    while year <= last_year and per_year.get(year, 0) >= ENGLAND_BANK_HOLIDAYS_PER_YEAR:
        year += 1
    return date(year - 1, 12, 31)


def calendar_running_out(today: date, calendar: WorkingCalendar) -> list[dict]:
    """Warn administrators when the calendar is known for less than 12 more months."""
    known_until = calendar_known_until(today)
    if known_until >= add_months(today, CALENDAR_WARNING_MONTHS):
        return []
    return [{"id": 0, "due": known_until, "child_id": None, "threshold": "12m"}]


def _child_link(row: Mapping[str, object]) -> str:
    return reverse("children:detail", args=[row["child_id"]])


def _care_check_rule(code: str, prefix: str, what: str) -> ReminderRule:
    """An open period of care's next health assessment (H-1, H-2) or PEP (E-1) overdue:
    to the child's IRO, who checks at each review, and social worker, who arranges the
    assessment or PEP, the working day after, then weekly."""
    return ReminderRule(
        code=code,
        title=f"{what} overdue",
        group=Group.DEADLINES,
        open_items=lambda: PeriodOfCare.objects.filter(
            end_date__isnull=True, **{f"{prefix}_due__isnull": False}
        ),
        due_field=f"{prefix}_due",
        child_field="child_id",
        thresholds=(Threshold.after(1), Threshold.weekly_while_overdue()),
        recipient_fields=("child__iro_id", "child__social_worker_id"),
        wording=f"{what} for {{reference}} {{when}} (due {{due:%d %B %Y}})",
        reference=lambda row: f"POC-{row['id']}",
        link=lambda row: _child_link(row) + "#health-and-education",
    )


RULES = (
    ReminderRule(
        code="CLA-11",
        title="IRO not allocated",
        group=Group.DEADLINES,
        open_items=lambda: PeriodOfCare.objects.filter(
            end_date__isnull=True, iro_allocated_on__isnull=True
        ),
        due_field="iro_allocation_due",
        child_field="child_id",
        thresholds=(
            Threshold.before(2),
            Threshold.on_the_day(),
            Threshold.after(1),
            Threshold.weekly_while_overdue(),
        ),
        recipients=allocation_recipients,
        wording="IRO allocation for {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: f"POC-{row['id']}",
        link=_child_link,
    ),
    ReminderRule(
        code="CP-1",
        title="Initial child protection conference not held",
        group=Group.DEADLINES,
        open_items=lambda: S47Enquiry.objects.filter(
            icpc_date__isnull=True, icpc_not_required=False
        ),
        due_field="icpc_due",
        child_field="child_id",
        thresholds=(
            Threshold.before(5),
            Threshold.on_the_day(),
            Threshold.after(1, group=Group.OVERDUE_MEETINGS),
            Threshold.weekly_while_overdue(group=Group.OVERDUE_MEETINGS),
        ),
        recipient_fields=("child__team__manager_id",),
        recipients=business_support,
        wording="Initial conference for {reference} {when} ({due:%d %B %Y})",
        reference=lambda row: f"S47-{row['id']}",
        link=_child_link,
    ),
    _care_check_rule("HEALTH-DUE", "health_assessment", "Health assessment"),
    _care_check_rule("PEP-DUE", "pep", "Personal education plan"),
    ReminderRule(
        code="CLA-16",
        title="IRO caseload above the threshold",
        group=Group.MANAGEMENT,
        open_items=User.objects.none,
        due_field="",
        child_field="",
        thresholds=(),
        team_of="id",
        team_roles=(Role.IRO_MANAGER,),
        wording="Caseload of {reference}: {count} children, above {limit}",
        reference=lambda row: f"IRO-{row['id']}",
        link=lambda row: reverse("children:list") + f"?iro={row['id']}",
        evaluate=caseloads_above_threshold,
        subject_model=User,
    ),
    ReminderRule(
        code="CAL-12M",
        title="Bank holiday data running out",
        group=Group.SYSTEM,
        open_items=ExtraNonWorkingDay.objects.none,
        due_field="",
        child_field="",
        thresholds=(),
        recipients=administrators,
        wording="Bank holidays are known only until {due:%d %B %Y}: upgrade the holidays package",
        reference=lambda row: "CALENDAR",
        link=lambda row: reverse("timescales:rules"),
        evaluate=calendar_running_out,
        subject_model=ExtraNonWorkingDay,
    ),
)


def register_builtin_rules() -> None:
    for rule in RULES:
        register(rule)
