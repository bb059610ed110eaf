"""A social worker records a child's PEP from the child page: the form explains a bad date,
and the page's "Health and education" shows the PEP and the next one due (with axe)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from children import services
from children.rules import EpisodeValues
from tests.e2e.helpers import fill_date, sign_in

LEGEND = "Date the PEP or PEP review was completed"


def test_social_worker_records_a_pep_from_the_child_page(
    page: Page, people, child, axe_check, screenshot
) -> None:
    start = timezone.localdate() - timedelta(days=30)
    services.episode_add(
        child=child,
        by=people["betty"],
        episode=EpisodeValues(
            decom=start, rne="S", ls="C2", cin="N1", place="U4", place_provider="PR1"
        ),
    )
    sign_in(page, people["sarah"], next_url=f"/children/{child.pk}/")
    section = page.locator("#health-and-education + dl")
    expect(section).to_contain_text("Not recorded")
    axe_check(page)

    page.get_by_role("link", name="Record a personal education plan (PEP)").click()
    fill_date(page, LEGEND, start - timedelta(days=10))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("was not looked after on")
    axe_check(page)

    done = start + timedelta(days=5)
    fill_date(page, LEGEND, done)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"/children/{child.pk}/#health-and-education")
    expect(section).to_contain_text(f"{done:%-d %B %Y} (initial;")
    expect(section).to_contain_text("E-1-REVIEW")
    axe_check(page)
    screenshot(page, "child-health-and-education")
