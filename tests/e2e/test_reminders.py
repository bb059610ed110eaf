"""Reminders in the browser: the header count, the list, acknowledging, the settings page."""

from datetime import date

from playwright.sync_api import Page, expect

from reminders.services import rule_scan
from tests.e2e.helpers import sign_in
from tests.factories import ChildFactory
from tests.reminders.helpers import period_due


def test_reminders_arrive_in_the_header_and_can_be_acknowledged(
    page: Page, people, org, axe_check, screenshot
) -> None:
    for _ in range(3):
        period_due(ChildFactory(team=org["team"]), date(2025, 5, 7))
    rule_scan("CLA-11", today=date(2025, 5, 8))
    sign_in(page, people["mandy"])

    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Notifications 3 unread")).to_be_visible()
    banner.get_by_role("link", name="Notifications 3 unread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator("tbody tr")).to_have_count(3)
    axe_check(page)
    screenshot(page, "reminders-list")

    page.locator("input[name=ids]").first.check()
    page.get_by_role("button", name="Mark selected as read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(banner.get_by_role("link", name="Notifications 2 unread")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(banner.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    screenshot(page, "reminders-list-read")


def test_email_and_calendar_settings(page: Page, people, axe_check, screenshot) -> None:
    sign_in(page, people["alice"])
    page.goto("/notifications/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email and calendar settings")
    page.get_by_role("button", name="Create a calendar address").click()
    expect(page.locator(".app-calendar-address")).to_contain_text("/calendar/")
    axe_check(page)
    screenshot(page, "reminders-settings")


def test_administrators_see_service_health(page: Page, people, axe_check, screenshot) -> None:
    from people.roles import Role
    from tests.conftest import make_user

    admin = make_user("adam", Role.SYSTEM_ADMIN)
    rule_scan("CLA-11", today=date(2025, 5, 8))
    sign_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Service health").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service health")
    expect(page.get_by_role("cell", name="CLA-11")).to_be_visible()
    axe_check(page)
    screenshot(page, "reminders-health")
