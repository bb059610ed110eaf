"""Start the H-1 and E-1 clocks of every existing period of care: no assessment or PEP is
recorded yet, so each is due from the day the child became looked after."""

from django.db import migrations


def start_clocks(apps, schema_editor):
    from timescales.calendar import WorkingCalendar
    from timescales.rules import DEFAULT_RULES, due_date
    from timescales.services import england_bank_holidays

    PeriodOfCare = apps.get_model("children", "PeriodOfCare")
    ExtraNonWorkingDay = apps.get_model("timescales", "ExtraNonWorkingDay")
    extra = frozenset(ExtraNonWorkingDay.objects.values_list("date", flat=True))
    calendar = WorkingCalendar(non_working=england_bank_holidays() | extra)
    # H-1 and E-1 are national rules: their amounts are never local values.
    health, pep = DEFAULT_RULES["H-1"], DEFAULT_RULES["E-1"]
    periods = list(PeriodOfCare.objects.filter(health_assessment_due__isnull=True))
    for period in periods:
        start = period.start_date
        period.health_assessment_rule, period.health_assessment_clock_start = health.id, start
        period.health_assessment_due = due_date(health, start, calendar)
        period.pep_rule, period.pep_clock_start = pep.id, start
        period.pep_due = due_date(pep, start, calendar)
    PeriodOfCare.objects.bulk_update(
        periods,
        [
            "health_assessment_rule",
            "health_assessment_clock_start",
            "health_assessment_due",
            "pep_rule",
            "pep_clock_start",
            "pep_due",
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_health_assessments_and_peps"),
        ("timescales", "0001_initial"),
    ]

    operations = [migrations.RunPython(start_clocks, migrations.RunPython.noop)]
