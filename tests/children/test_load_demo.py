"""``manage.py load_demo``: the demo children in care have their health assessments and PEPs
in date, through the services, except one PEP left overdue so the demo shows the badge."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from children.models import HealthAssessment, PeriodOfCare, PersonalEducationPlan
from people.models import User
from people.roles import Role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture
def demo(settings) -> list[PeriodOfCare]:
    settings.DEMO_MODE = True
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
    return list(PeriodOfCare.objects.filter(end_date__isnull=True).select_related("child"))


def test_children_in_care_are_in_date_but_for_one_overdue_pep(demo):
    assert demo
    assert all(period.health_assessment_due >= TODAY for period in demo)
    overdue = [period for period in demo if period.pep_due and period.pep_due < TODAY]
    assert len(overdue) == 1
    assert not overdue[0].peps.exists()
    assert HealthAssessment.objects.count() >= len(demo)
    assert PersonalEducationPlan.objects.exists()
    # Every record came through the services: each met or missed the deadline it records.
    assert all(record.on_time for record in PersonalEducationPlan.objects.all())


def test_the_overdue_pep_shows_its_badge_and_a_toddler_needs_none_yet(demo):
    manager = User.objects.get(groups__name=Role.IRO_MANAGER.value)
    client = Client()
    client.force_login(manager)
    overdue = next(period for period in demo if period.pep_due and period.pep_due < TODAY)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("children:detail", args=[overdue.child_id])).content.decode()
        section = page[page.index("Next PEP due") :]
        assert "Overdue by" in section[: section.index("</dd>")]
        toddlers = [p for p in demo if p.child.age_on(TODAY) < 3]
        assert toddlers
        assert not any(p.peps.exists() for p in toddlers)
        page = client.get(reverse("children:detail", args=[toddlers[0].child_id])).content.decode()
    assert "Not needed yet: PEPs start at age 3" in page
