"""An IRO signs in, finds a child and reads the record: deadlines and the timeline."""

from datetime import date

from playwright.sync_api import Page, expect

from children import services
from children.rules import EpisodeValues
from tests.e2e.helpers import fill_date, sign_in


def test_iro_finds_a_child_and_sees_the_timeline(
    page: Page, people, child, axe_check, screenshot
) -> None:
    services.allocation_start(
        child=child,
        kind="iro",
        user=people["alice"],
        start_date=date(2026, 6, 1),
        by=people["mandy"],
    )
    services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=date(2026, 6, 1), rne="S", ls="C1", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    services.s47_record(
        child=child,
        start_date=date(2026, 10, 5),
        strategy_discussion_date=date(2026, 10, 5),
        by=people["betty"],
    )

    sign_in(page, people["alice"])
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    axe_check(page)
    screenshot(page, "home-iro")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Children").click()
    page.get_by_label("Name or local authority ID").fill(child.la_child_id)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_have_text("1 child")
    axe_check(page)
    page.get_by_role("link", name=child.full_name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(child.full_name)
    expect(page.locator(".moj-badge", has_text="In care")).to_be_visible()
    deadlines = page.locator("#deadlines + table")
    expect(deadlines).to_contain_text("CLA-11")
    expect(deadlines).to_contain_text("CP-1")
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Became looked after")
    expect(timeline).to_contain_text("Section 47 enquiry started")
    expect(timeline).to_contain_text("IRO allocated")
    axe_check(page)
    screenshot(page, "child-page")


def test_timescales_page_is_accessible(page: Page, people, axe_check, screenshot) -> None:
    sign_in(page, people["mandy"])
    page.goto("/timescales/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory timescales")
    fill_date(page, "Date", date(2027, 6, 5))
    page.get_by_label("Name of the bank holiday").fill("Imagined")
    page.get_by_role("button", name="Add non-working day").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("weekend")
    axe_check(page)
    screenshot(page, "timescales")
