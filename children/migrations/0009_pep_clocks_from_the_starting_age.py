"""Start the PEP clock of every open period of care at the starting age (E-1-FROM-AGE, from
the child's 3rd birthday by default) and stop it from E-1-END-AGE (18th), as
``children.services.care_clocks_refresh`` now does. PEPs already recorded keep the
deadline they met or missed: past compliance is judged by the rule in force then."""

from collections import defaultdict

from django.db import migrations


def restart_pep_clocks(apps, schema_editor):
    from timescales.calendar import WorkingCalendar
    from timescales.rules import build_rule_book
    from timescales.sequences import next_pep
    from timescales.services import england_bank_holidays

    PeriodOfCare = apps.get_model("children", "PeriodOfCare")
    PersonalEducationPlan = apps.get_model("children", "PersonalEducationPlan")
    ExtraNonWorkingDay = apps.get_model("timescales", "ExtraNonWorkingDay")
    LocalRuleValue = apps.get_model("timescales", "LocalRuleValue")
    extra = frozenset(ExtraNonWorkingDay.objects.values_list("date", flat=True))
    calendar = WorkingCalendar(non_working=england_bank_holidays() | extra)
    values = list(LocalRuleValue.objects.order_by("effective_from"))

    def rules_on(day):
        return build_rule_book({v.rule_id: v.amount for v in values if v.effective_from <= day})

    peps = defaultdict(list)
    open_peps = PersonalEducationPlan.objects.filter(period__end_date__isnull=True)
    for period_id, completed_on in open_peps.values_list("period_id", "completed_on"):
        peps[period_id].append(completed_on)
    periods = list(PeriodOfCare.objects.filter(end_date__isnull=True).select_related("child"))
    for period in periods:
        done = [day for day in peps[period.pk] if day >= period.start_date]
        deadline = next_pep(
            period_start=period.start_date,
            peps=done,
            date_of_birth=period.child.date_of_birth,
            rules=rules_on(max(done, default=period.start_date)),
            calendar=calendar,
        )
        period.pep_rule = deadline.rule_id if deadline else ""
        period.pep_clock_start = deadline.start if deadline else None
        period.pep_due = deadline.due if deadline else None
    PeriodOfCare.objects.bulk_update(
        periods, ["pep_rule", "pep_clock_start", "pep_due"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0008_peps_recorded_when_none_was_due"),
        ("timescales", "0001_initial"),
    ]

    operations = [migrations.RunPython(restart_pep_clocks, migrations.RunPython.noop)]
