"""The challenge clinic journey in the browser, with axe on every page: the IRO service
manager schedules a clinic on two challenges, sends the invitations, records the findings
and an action, and the finding shows on the child's timeline; the head of service on the
panel reads the clinic."""

from datetime import date

from django.utils import timezone
from playwright.sync_api import Page, expect

from challenges import services
from challenges.models import Challenge, ChallengeReason, Clinic
from tests.e2e.helpers import fill_date, sign_in
from tests.factories import ChildFactory


def _raise(children, people, what: str) -> Challenge:  # type: ignore[no-untyped-def]
    return services.challenge_raise(
        children=children,
        reasons=ChallengeReason.objects.filter(code="drift-delay"),
        what_is_wrong=what,
        impact_on_child="Uncertainty about where they will grow up.",
        what_must_happen="A plan at the next review.",
        by=people["alice"],
    )


def test_the_service_manager_schedules_and_records_a_clinic(
    page: Page, people, org, child, axe_check, screenshot, default_reasons_and_stages
) -> None:
    brother = ChildFactory(team=org["team"], iro=people["alice"], social_worker=people["sarah"])
    first = _raise([child], people, "No permanence plan at the second review.")
    second = _raise([brother], people, "Contact plan not carried out.")

    # Schedule the clinic on both challenges.
    sign_in(page, people["mandy"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clinics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenge clinics")
    axe_check(page)
    page.get_by_role("link", name="Schedule a clinic").click()
    page.get_by_role("button", name="Schedule clinic").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose at least one head of service for the panel."
    )
    axe_check(page)
    fill_date(page, "Date of the clinic", timezone.localdate())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:30")
    page.get_by_label("Venue").fill("Room 4, County Hall")
    page.get_by_label(str(people["helen"])).check()
    page.get_by_label(first.reference).check()
    page.get_by_label(second.reference).check()
    screenshot(page, "clinic-schedule")
    page.get_by_role("button", name="Schedule clinic").click()
    clinic = Clinic.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Challenge clinic {clinic.reference}"
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text("scheduled")
    expect(page.locator("main")).to_contain_text("Panel (head of service)")
    axe_check(page)

    # Send the invitations.
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("4 invitations sent")
    axe_check(page)

    # Record the findings and an action.
    page.get_by_role("link", name="Record the clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the clinic")
    page.get_by_label(f"Finding on {first.reference}").fill(
        "Permanence planning has drifted for six months."
    )
    page.get_by_label(f"Finding on {second.reference}").fill("Contact is now weekly.")
    page.get_by_label(f"Action 1 on {first.reference}", exact=True).fill(
        "Book the permanence planning meeting"
    )
    page.get_by_label(f"Who owns action 1 on {first.reference}?").select_option(
        label=str(people["terry"])
    )
    fill_date(page, f"Action 1 on {first.reference} due by", date(2030, 1, 10))
    page.get_by_label("Overall summary").fill("Two plans reviewed; one needs a meeting.")
    axe_check(page)
    screenshot(page, "clinic-record")
    page.get_by_role("button", name="Record clinic").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Clinic recorded")
    expect(page.locator(".moj-badge", has_text="Held")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Book the permanence planning meeting")
    axe_check(page)
    screenshot(page, "clinic-detail-held")

    # The finding is on the child's timeline.
    page.goto(f"/children/{child.pk}/")
    expect(page.locator(".moj-timeline")).to_contain_text(
        f"Challenge clinic {clinic.reference} finding on {first.reference}: "
        "Permanence planning has drifted for six months."
    )
    axe_check(page)

    # The challenge page links to the clinic; the list shows it as past.
    page.goto(f"/challenges/{first.pk}/")
    page.get_by_role("link", name=f"Clinic {clinic.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Challenge clinic {clinic.reference}"
    )

    # The head of service on the panel reads it, without the buttons to run it.
    sign_in(page, people["helen"], next_url=f"/challenges/clinics/{clinic.pk}/")
    expect(page.locator("main")).to_contain_text("Contact is now weekly.")
    expect(page.get_by_role("link", name="Record the clinic")).to_have_count(0)
    axe_check(page)
