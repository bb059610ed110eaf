"""The annual report journey in the browser, with axe on every page: the IRO service manager
enters the year's population, opens the 2019-20 report, writes the "What children told us"
section, sees it with the figures and charts, and downloads the PDF for the corporate
parenting board."""

from playwright.sync_api import Page, expect

from tests.e2e.helpers import sign_in
from tests.reporting import annual_dataset


def test_manager_enters_population_writes_commentary_and_downloads_the_pdf(
    page: Page, people, axe_check, screenshot
) -> None:
    annual_dataset.build_copy(people, "")
    sign_in(page, people["mandy"])

    page.goto("/reports/population/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Population aged 0 to 17")
    page.get_by_role("button", name="Save population").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the population")
    axe_check(page)
    page.get_by_label("Reporting year").fill("2019")
    page.get_by_label("Population aged 0 to 17").fill("16000")
    page.get_by_label("Source").fill("ONS mid-2019 population estimates")
    page.get_by_role("button", name="Save population").click()
    expect(page.locator("table")).to_contain_text("16,000")
    axe_check(page)

    page.get_by_role("link", name="2019-20").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IRO annual report 2019-20")
    # 4 children in care on 31/03/2020 / 16,000 x 10,000 = 2.5
    expect(page.locator("#cla ~ table").first).to_contain_text("2.5")
    axe_check(page)

    page.get_by_role("link", name='Write or change "What children told us"').click()
    page.get_by_label("Text").fill("Children asked for their reviews to be held at school.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#commentary ~ .app-annual__commentary").first).to_contain_text(
        "held at school"
    )
    screenshot(page, "annual-report")
    page.locator("#timeliness").scroll_into_view_if_needed()
    screenshot(page, "annual-report-timeliness")
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == "iro-annual-report-2019-20.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
