"""The page shell: sign-in page, header, footer, CSS and JavaScript, accessibility."""

from playwright.sync_api import Page, expect

from tests.e2e.helpers import sign_in


def test_sign_in_page_renders_accessibly(page: Page, axe_check, screenshot) -> None:
    page.goto("/accounts/login/")

    expect(page).to_have_title("Sign in \N{EN DASH} IRO Service")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to IRO Service")
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="IRO Service")).to_be_visible()
    # The nonce'd inline script ran and GOV.UK Frontend's module initialised the button.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    expect(page.locator("button[data-govuk-button-init]")).to_have_count(1)
    # Not a GOV.UK service: system fonts, no crown or GOV.UK logotype.
    font = page.get_by_role("heading", level=1).evaluate("(h1) => getComputedStyle(h1).fontFamily")
    assert font.startswith("system-ui") and "GDS Transport" not in font
    expect(
        page.locator(".govuk-header__logotype, .govuk-logo, .moj-header__logotype-crown")
    ).to_have_count(0)

    # The shell itself has no axe findings at all, moderate and minor ones included.
    assert axe_check(page) == []
    screenshot(page, "sign-in")


def test_sign_in_without_details_shows_the_error_summary(page: Page, axe_check, screenshot) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in \N{EN DASH} IRO Service")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Email address")).to_be_focused()

    axe_check(page)
    screenshot(page, "sign-in-errors")


def test_signed_in_user_sees_their_name_navigation_and_can_sign_out(
    page: Page, people, child, axe_check, screenshot
) -> None:
    sign_in(page, people["alice"], next_url="/children/")

    expect(page).to_have_url("/children/")
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(people["alice"].get_full_name())
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Children")).to_have_attribute(
        "aria-current", "page"
    )
    axe_check(page)
    screenshot(page, "children-list")

    banner.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/accounts/login/")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_have_count(0)
