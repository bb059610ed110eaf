"""The IRO service manager opens the dashboard, drills into Alice's overdue reviews and
finds the child behind the figure; the IRO's and business support's home pages too.
(The annual report PDF is added to this journey where the report lands.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from children.models import SiblingGroup
from tests.e2e.helpers import sign_in
from tests.reporting.dashboard_factories import child_of, hold, in_care, on_plan


@pytest.fixture
def caseloads(people, org):
    """A few children for Alice and Bob, in dates relative to today: the first (Olive) has
    a first review long overdue; others are due soon, held, on plans or both."""
    today = timezone.localdate()
    olive = child_of(people, org, first_name="Olive", last_name="Overdue")
    in_care(olive, people, today - timedelta(days=120), home_post="DL1 1AA", pl_post="TS4 2BB")
    group = SiblingGroup.objects.create(reference="SG-E2E")
    for n, (first, iro) in enumerate([("Sam", "alice"), ("Sky", "alice"), ("Ben", "bob")]):
        child = child_of(people, org, iro=iro, first_name=first, last_name="Example")
        child.sibling_group = group if iro == "alice" else None
        child.save(update_fields=["sibling_group"])
        review = in_care(child, people, today - timedelta(days=90 + 10 * n))
        if n == 0:
            hold(review, people[iro], today - timedelta(days=60))
    both = child_of(people, org, first_name="Pat", last_name="Plan")
    in_care(both, people, today - timedelta(days=200), ls="C1")
    on_plan(both, people, today - timedelta(days=150))
    return olive


def test_the_manager_drills_from_the_dashboard_to_the_overdue_child(
    page: Page, people, caseloads, axe_check, screenshot
) -> None:
    sign_in(page, people["mandy"])
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO service dashboard")
    expect(page.get_by_role("img", name="Children per full-time IRO")).to_be_visible()
    axe_check(page)
    screenshot(page, "dashboard-service")

    overdue = page.get_by_role("table", name="Overdue items by IRO")
    row = overdue.get_by_role("row").filter(has_text=str(people["alice"]))
    row.get_by_role("cell").nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue: reviews")
    expect(page).to_have_url(f"/reports/dashboard/overdue-reviews/?iro={people['alice'].pk}")
    expect(page.get_by_role("link", name=caseloads.full_name)).to_be_visible()
    expect(page.locator(".moj-badge--red").first).to_contain_text("Overdue by")
    axe_check(page)
    screenshot(page, "dashboard-drill-overdue-reviews")

    page.get_by_role("link", name=caseloads.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(caseloads.full_name)


def test_the_iro_and_business_support_homes(
    page: Page, people, caseloads, axe_check, screenshot
) -> None:
    sign_in(page, people["alice"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.get_by_role("link", name=caseloads.full_name)).to_be_visible()
    axe_check(page)
    screenshot(page, "dashboard-iro")
    # Soonest deadline first; the sortable table (MOJ, with JavaScript) sorts in the page.
    first = page.locator("table[data-module='moj-sortable-table'] tbody tr").first
    expect(first).to_contain_text("Pat Plan")
    page.get_by_role("button", name="Child").click()
    expect(first).to_contain_text("Sam Example")

    sign_in(page, people["betty"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduling")
    axe_check(page)
    screenshot(page, "dashboard-support")
