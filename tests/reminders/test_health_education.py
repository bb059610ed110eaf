"""HEALTH-DUE and PEP-DUE: an overdue health assessment (H-1, H-2) or PEP (E-1) reminds the
child's IRO and social worker, once per threshold; a second scan adds nothing."""

from datetime import date

import pytest

from children import services
from children.models import PeriodOfCare
from children.rules import EpisodeValues
from reminders.models import Reminder
from reminders.services import rule_scan
from tests.factories import ChildFactory
from tests.reminders.helpers import thresholds_for

pytestmark = pytest.mark.django_db

# Mon 2 Jun 2025: H-1 due Mon 30 Jun, E-1 due Mon 16 Jun.
START = date(2025, 6, 2)


def looked_after(child, people) -> PeriodOfCare:
    """Looked after from ``START``; for PEP-DUE the child's age matters (E-1-FROM-AGE)."""
    services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=START, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    return child.periods_of_care.get()


def test_an_overdue_health_assessment_reminds_the_iro_and_social_worker_once(child, people):
    period = looked_after(child, people)
    assert rule_scan("HEALTH-DUE", today=date(2025, 6, 30)).inserted == 0  # due, not overdue
    first = rule_scan("HEALTH-DUE", today=date(2025, 7, 1))
    assert first.inserted == 2
    recipients = set(Reminder.objects.values_list("recipient_id", "subject_id"))
    assert recipients == {(people["alice"].pk, period.pk), (people["sarah"].pk, period.pk)}
    reminder = Reminder.objects.filter(recipient=people["sarah"]).get()
    assert reminder.message == (
        f"Health assessment for POC-{period.pk} is overdue by 1 working day (due 30 June 2025)"
    )
    assert child.first_name not in reminder.message
    assert reminder.link.endswith(f"/children/{child.pk}/#health-and-education")
    again = rule_scan("HEALTH-DUE", today=date(2025, 7, 1))
    assert again.inserted == 0
    assert Reminder.objects.count() == 2
    assert thresholds_for(people["alice"], "HEALTH-DUE") == ["+1wd"]


def test_recording_the_assessment_stops_the_reminders(child, people):
    looked_after(child, people)
    services.health_assessment_record(
        child=child, completed_on=date(2025, 6, 27), by=people["sarah"]
    )
    assert rule_scan("HEALTH-DUE", today=date(2025, 7, 8)).inserted == 0


def test_an_overdue_pep_reminds_weekly_and_ended_periods_are_left_alone(child, people, org):
    looked_after(child, people)
    rule_scan("PEP-DUE", today=date(2025, 6, 17))
    rule_scan("PEP-DUE", today=date(2025, 6, 23))
    assert thresholds_for(people["sarah"], "PEP-DUE") == ["+1wd", "week1"]
    ended = ChildFactory(team=org["team"], iro=people["bob"], social_worker=people["sarah"])
    looked_after(ended, people)
    services.episode_cease(child=ended, dec=date(2025, 6, 10), rec="E4A", by=people["betty"])
    assert rule_scan("PEP-DUE", today=date(2025, 6, 24)).inserted == 0
    assert not Reminder.objects.filter(recipient=people["bob"]).exists()


def test_no_pep_reminder_for_a_baby_but_one_for_a_4_year_old(people, org):
    baby = ChildFactory(
        team=org["team"],
        iro=people["bob"],
        social_worker=people["sarah"],
        date_of_birth=date(2025, 1, 5),
    )
    looked_after(baby, people)
    four = ChildFactory(
        team=org["team"],
        iro=people["alice"],
        social_worker=people["sarah"],
        date_of_birth=date(2021, 3, 1),
    )
    period = looked_after(four, people)
    assert rule_scan("PEP-DUE", today=date(2025, 6, 17)).inserted == 2
    rule_scan("PEP-DUE", today=date(2025, 6, 23))
    assert set(Reminder.objects.values_list("subject_id", flat=True)) == {period.pk}
    assert not Reminder.objects.filter(recipient=people["bob"]).exists()
