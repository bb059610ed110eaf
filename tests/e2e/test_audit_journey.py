"""The audit journey in the browser, with axe on every page: an IRO completes a CP
conference audit with one red key answer and sees RED live as she answers, adds a
recommendation for the team manager; the IRO service manager sees it in the themes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditQuestion, AuditTemplate, AuditTemplateVersion
from audits.seed import seed_templates
from tests.audits.factories import held_conference
from tests.e2e.helpers import fill_date, sign_in

VOICE = "Is the voice of the child evident? (key question)"


@pytest.fixture
def seeded_templates() -> None:
    """Browser tests run in flushed (transactional) databases, which lose the rows the
    migration seeds; put the templates back the way the migration does."""
    seed_templates(AuditTemplate, AuditTemplateVersion, AuditQuestion)


def test_an_iro_completes_a_red_cp_audit_and_the_manager_sees_it_in_the_themes(
    page: Page, people, child, axe_check, screenshot, seeded_templates
) -> None:
    today = timezone.localdate()
    conference = held_conference(
        child, due=today + timedelta(days=7), held=None, chair=people["alice"]
    )

    # The IRO starts the audit from her list of audits due.
    sign_in(page, people["alice"], next_url="/audits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audits due")
    expect(page.locator("table")).to_contain_text(conference.reference)
    axe_check(page)
    page.get_by_role("button", name=f"Start the audit of {conference.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Child protection conference audit")
    axe_check(page)

    # She answers yes throughout: the live rating is green...
    for radio in page.locator("form input[type=radio][value=yes]").all():
        radio.check()
    live = page.locator("#live-rating")
    expect(live.locator("[data-rating]")).to_have_attribute("data-rating", "green")
    # ...then no to a key question, and it turns red before she saves anything.
    page.get_by_role("group", name=VOICE).get_by_label("No", exact=True).check()
    expect(live.locator("[data-rating]")).to_have_attribute("data-rating", "red")
    expect(live).to_contain_text("Red because a key question is red")
    expect(live).to_contain_text("Is the voice of the child evident?")
    screenshot(page, "audit-form-live-red")
    axe_check(page)
    page.get_by_role("button", name="Complete the audit").click()

    audit = Audit.objects.get(conference=conference)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("completed")
    expect(page.locator("[data-rating]").first).to_have_attribute("data-rating", "red")
    assert (audit.status, audit.rating) == ("completed", "red")
    axe_check(page)

    # A recommendation to the team manager, due in four weeks.
    page.get_by_role("link", name="Add a recommendation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a recommendation")
    axe_check(page)
    page.get_by_label("Recommendation").fill("Record the child's views before the next conference.")
    page.get_by_label("Team manager").check()
    fill_date(page, "Date it is due", today + timedelta(days=28))
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recommendation added")
    expect(page.locator("table").first).to_contain_text("Record the child's views")
    screenshot(page, "audit-detail")

    # The IRO service manager sees it in the themes of child protection audits.
    sign_in(page, people["mandy"], next_url="/audits/themes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit themes")
    page.get_by_label("Audit", exact=True).select_option(label="Child protection conference audit")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#ratings tr[data-rating=red]")).to_contain_text("1 (100.0%)")
    expect(page.locator("#questions tr[data-code=voice_of_child]")).to_contain_text("0.0%")
    screenshot(page, "audit-themes")
    axe_check(page)
