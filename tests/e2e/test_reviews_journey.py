"""Business support books a review; the IRO records it with two decisions and circulates
them; the review shows as held in timescale on the child's page and timeline."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_date, sign_in
from tests.reviews.conftest import put_in_care


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/accounts/login/")


def test_a_review_from_booking_to_decisions_circulated(
    page: Page, people, child, axe_check, screenshot
) -> None:
    today = timezone.localdate()
    put_in_care(child, people["betty"], today - timedelta(days=7))

    # Business support: the queue, the booking, the invitations.
    sign_in(page, people["betty"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews to schedule")
    axe_check(page)
    screenshot(page, "reviews-schedule-queue")
    page.get_by_role("link", name=f"Book the review of {child.full_name}").click()
    # A date without its month: the summary names it and links to the month box.
    booking_date = page.get_by_role("group", name="Date of the review", exact=True)
    booking_date.get_by_label("Day").fill(str(today.day))
    booking_date.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Book the review").click()
    expect(page).to_have_title("Error: Book the review \N{EN DASH} IRO Service")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date of the review must include a month")
    expect(booking_date.get_by_label("Day")).to_have_value(str(today.day))
    axe_check(page)
    screenshot(page, "reviews-book-date-error")
    summary.get_by_role("link", name="Date of the review must include a month").click()
    expect(booking_date.get_by_label("Month")).to_be_focused()
    fill_date(page, "Date of the review", today)
    page.get_by_label("Time").fill("10:30")
    page.get_by_label("Venue").fill("Civic Centre, room 4")
    axe_check(page)
    screenshot(page, "reviews-book")
    page.get_by_role("button", name="Book the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    page.get_by_label("Name").fill("Sarah")
    page.get_by_label("Role or relationship to the child").fill("Social worker")
    page.get_by_label("Email address").fill("sarah@staff.example.org")
    page.get_by_role("button", name="Add to the invitations").click()
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 invitation sent")
    axe_check(page)
    screenshot(page, "reviews-invitations")
    sign_out(page)

    # The IRO: My reviews, the record (with its draft saved as she types), two decisions.
    sign_in(page, people["alice"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My reviews")
    axe_check(page)
    screenshot(page, "reviews-my-reviews")
    page.get_by_role("link", name=child.full_name).first.click()
    page.get_by_role("link", name="Record the review").click()
    fill_date(page, "Date the review was held", today)
    page.get_by_label("Who attended").fill("Alice (IRO), Sarah (social worker), the carer")
    page.get_by_label("How the child took part").select_option("PN1")
    page.get_by_label("The child's wishes and feelings").fill("She wants to stay with her carers.")
    page.get_by_label("Health assessment and health plan: considered").check()
    page.get_by_label("Notes on health assessment and health plan").fill("Up to date.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at", timeout=10_000)
    axe_check(page)
    screenshot(page, "reviews-record")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review record saved")

    for text in ["Update the care plan", "Arrange contact with her grandmother"]:
        page.get_by_role("link", name="Add a decision").click()
        page.get_by_label("Decision", exact=True).fill(text)
        page.get_by_label("Person responsible").select_option(str(people["sarah"].pk))
        page.get_by_label("Their role").fill("Social worker")
        fill_date(page, "Date the decision is due", today + timedelta(days=28))
        page.get_by_role("button", name="Add decision").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision added")

    page.get_by_role("link", name="Circulate the decisions").click()
    axe_check(page)
    page.get_by_role("button", name="Record as circulated").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decisions circulated")
    deadlines = page.locator("table", has_text="CLA-13")
    expect(deadlines.get_by_role("row", name="CLA-13")).to_contain_text("Met")
    expect(page.locator(".moj-badge", has_text="Held in timescale")).to_be_visible()
    axe_check(page)
    screenshot(page, "reviews-detail-held")

    # The child's page: the review in the reviews section and on the timeline.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=child.full_name
    ).click()
    expect(page.locator("#reviews + table")).to_contain_text("In timescale")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Children in care review held in timescale")
    expect(timeline).to_contain_text("Review decisions circulated (on time)")
    axe_check(page)
    screenshot(page, "reviews-child-page")
