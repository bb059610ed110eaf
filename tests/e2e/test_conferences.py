"""Conference journeys in the browser: business support books an initial conference; the
chair records a plan with two categories; the review conference request appears on the
child's page with its due date. axe-core runs on every page."""

from datetime import date

from django.utils import timezone
from playwright.sync_api import Page, expect

from conferences import services
from conferences.models import Conference
from tests.conferences.factories import held_with_plan, requested_icpc, room
from tests.e2e.helpers import fill_date
from tests.e2e.helpers import sign_in as sign_in_as


def sign_in(page: Page, user) -> None:
    sign_in_as(page, user)
    expect(page.get_by_role("banner")).to_contain_text(user.get_full_name())


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()


def test_book_an_icpc_record_a_plan_and_see_the_rcpc_request(
    page: Page, people, child, axe_check, screenshot
) -> None:
    conference = requested_icpc(child, people)
    room("Conference Room A", 14)

    # Business support books the ICPC from the queue.
    sign_in(page, people["betty"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Conferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conferences awaiting a date")
    expect(page.get_by_role("row", name=child.full_name)).to_contain_text("23 Mar 2026")
    axe_check(page)
    screenshot(page, "conferences-queue")
    page.get_by_role("link", name=f"Book {conference.reference}").click()

    # First without a time: the error summary says what to fix.
    page.get_by_role("button", name="Book the conference").click()
    expect(page).to_have_title("Error: Book the conference \N{EN DASH} IRO Service")
    axe_check(page)
    page.get_by_label("Chair", exact=True).select_option(label=str(people["mandy"]))
    fill_date(page, "Date", date(2026, 3, 18))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Room", exact=True).select_option(label="Conference Room A (seats 14)")
    screenshot(page, "conferences-book")
    page.get_by_role("button", name="Book the conference").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Conference booked for 18 March 2026 at 10:00"
    )
    expect(page.locator(".moj-badge", has_text="Booked")).to_be_visible()

    # Invite someone through the page; the rest of the list is added behind the scenes.
    page.get_by_text("Invite someone").click()
    page.get_by_label("Name", exact=True).fill("Sam Social Worker")
    page.get_by_label("Agency", exact=True).select_option(label="Children's social care")
    page.get_by_role("button", name="Add to the invitation list").click()
    expect(page.get_by_role("row", name="Sam Social Worker")).to_be_visible()
    axe_check(page)
    screenshot(page, "conferences-detail-booked")

    # Ask Health for a report; it is marked received with today's date in the date input.
    page.get_by_label("Agency to ask for a report").select_option(label="Health")
    page.get_by_role("button", name="Ask for a report").click()
    received = page.get_by_role("group", name="Date received from Health", exact=True)
    expect(received.get_by_label("Year")).to_have_value(str(timezone.localdate().year))
    axe_check(page)
    screenshot(page, "conferences-report-asked")
    page.get_by_role("button", name="Received from Health").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Report from Health received"
    )
    for name, agency in [("PC Jones", "police"), ("Health Visitor", "health")]:
        services.invitation_add(conference=conference, name=name, agency=agency, by=people["betty"])

    # The calendar shows the chair's booking.
    page.goto("/conferences/calendar/?start=2026-03-16")
    chairs = page.get_by_role("table", name="Each chair's conferences and availability")
    expect(chairs.get_by_role("row", name=str(people["mandy"]))).to_contain_text(child.full_name)
    axe_check(page)
    screenshot(page, "conferences-calendar")
    sign_out(page)

    # The chair records the conference: quorate, a plan with two categories.
    sign_in(page, people["mandy"])
    page.goto("/conferences/mine/")
    axe_check(page)
    page.get_by_role("link", name=f"Record {conference.reference}").first.click()
    for label in ("Sam Social Worker", "PC Jones", "Health Visitor"):
        page.get_by_label(label).select_option(label="Attended")
    page.get_by_label("Too young to take part").check()
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Neglect").check()
    page.get_by_label("Emotional abuse").check()
    page.get_by_label("Outline plan").fill("Health visitor to visit weekly.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    axe_check(page)
    screenshot(page, "conferences-record")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the national return will record the categories as MUL"
    )
    expect(page.locator(".moj-badge", has_text="Census: MUL")).to_be_visible()
    axe_check(page)
    screenshot(page, "conferences-held")

    # The review conference request appears on the child's page with its due date.
    page.goto(f"/children/{child.pk}/")
    section = page.locator("#conferences + p + table, #conferences ~ table").first
    expect(section.get_by_role("row", name="Review conference")).to_contain_text("18 Jun 2026")
    axe_check(page)
    screenshot(page, "conferences-child-page")
    rcpc = Conference.objects.get(conference_type="rcpc")
    assert (rcpc.status, rcpc.original_due_date) == ("requested", date(2026, 6, 18))


def test_an_interrupted_amendment_is_put_back_in_the_form(
    page: Page, people, child, axe_check, screenshot
) -> None:
    conference = held_with_plan(child, people)  # mandy chairs
    words = "The health visitor report was read out and agreed."

    sign_in(page, people["mandy"])
    page.goto(f"/conferences/{conference.pk}/")
    page.get_by_role("link", name="Amend the record").click()
    discard = page.get_by_role("button", name="Discard draft")
    expect(discard).to_have_count(0)
    page.get_by_label("Minutes").fill(words)
    expect(page.locator("#draft-status")).to_contain_text("Draft saved at")
    # The first autosave brings "Discard draft" without a reload.
    expect(discard).to_be_visible()

    # Interrupted: she comes back to the form later.
    page.goto(f"/conferences/{conference.pk}/amend/")
    expect(page.locator(".govuk-inset-text")).to_contain_text("It has been put back in the form.")
    expect(page.get_by_label("Minutes")).to_have_value(words)
    axe_check(page)
    screenshot(page, "conferences-amend-draft")
    page.get_by_label("Why are you amending the record?").fill("The report was missing")
    page.get_by_role("button", name="Amend the record").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Record amended")
    page.goto(f"/conferences/{conference.pk}/amend/")
    expect(page.get_by_label("Minutes")).to_have_value(words)
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
