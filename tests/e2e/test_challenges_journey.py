"""The Issues Resolution journey in the browser, with axe on every page: an IRO raises a
challenge from the child page; the team manager responds with a recovery plan; the IRO
escalates to stage 3; the IRO service manager approves; the head of service responds; the
IRO resolves it with the outcome. (Raising from an overdue review decision is a prefilled
link the lead wires once reviews exist: see tests/challenges/test_pages.py for the prefill.)"""

from datetime import date

from playwright.sync_api import Page, expect

from challenges.models import Challenge
from tests.e2e.helpers import fill_date, sign_in


def open_challenges(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Challenges").click()


def test_challenge_from_raising_to_resolution(
    page: Page, people, child, axe_check, screenshot, default_reasons_and_stages
) -> None:
    # The IRO raises it from the child's page.
    sign_in(page, people["alice"])
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Raise a challenge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a challenge")
    page.get_by_role("button", name="Raise challenge").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one reason")
    axe_check(page)
    page.get_by_label("Drift and delay in the care plan").check()
    page.get_by_label("Permanence planning").check()
    page.get_by_label("What is wrong?").fill("No permanence plan at the second review.")
    page.get_by_label("What is the impact on the child?").fill(
        "She does not know where she will grow up."
    )
    page.get_by_label("What must happen?").fill("A permanence plan at the next review.")
    page.get_by_label("The child's view, if known").fill("Wants to stay with her carers.")
    page.get_by_role("radio", name="Informal").check()
    screenshot(page, "challenge-raise")
    page.get_by_role("button", name="Raise challenge").click()
    challenge = Challenge.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Challenge {challenge.reference}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("raised")
    axe_check(page)

    # The team manager responds with a recovery plan.
    sign_in(page, people["terry"])
    open_challenges(page)
    page.get_by_role("link", name="For me to answer").click()
    expect(page.locator("table")).to_contain_text(challenge.reference)
    axe_check(page)
    page.get_by_role("link", name=challenge.reference).click()
    page.get_by_role("link", name="Respond").click()
    page.get_by_label("Your response").fill("A permanence planning meeting is booked.")
    page.get_by_label("Action 1", exact=True).fill("Hold the permanence planning meeting")
    page.get_by_label("Who owns action 1?").select_option(label=str(people["sarah"]))
    fill_date(page, "Action 1 due by", date(2030, 1, 10))
    axe_check(page)
    screenshot(page, "challenge-respond")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator("table", has_text="Recovery plan")).to_contain_text(
        "Hold the permanence planning meeting"
    )

    # The IRO escalates to stage 3, which needs approval.
    sign_in(page, people["alice"])
    open_challenges(page)
    expect(page.locator("table", has_text="Awaiting my decision")).to_contain_text(
        challenge.reference
    )
    axe_check(page)
    screenshot(page, "challenge-mine")
    page.get_by_role("link", name=challenge.reference).click()
    page.get_by_role("link", name="Escalate").click()
    page.get_by_label("Stage 3 (needs the IRO service manager's approval)").check()
    page.get_by_label("Why are you escalating?").fill("The meeting did not happen.")
    page.get_by_role("button", name="Escalate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are skipping")
    axe_check(page)
    page.get_by_label("Why skip a stage?").fill("Drift of six months; senior decision needed.")
    page.get_by_role("button", name="Escalate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approval asked")

    # The IRO service manager approves.
    sign_in(page, people["mandy"])
    open_challenges(page)
    page.get_by_role("link", name="Approvals").click()
    axe_check(page)
    screenshot(page, "challenge-approvals")
    page.get_by_role("link", name=f"Decide on {challenge.reference}").click()
    axe_check(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approved")

    # The head of service responds.
    sign_in(page, people["helen"])
    open_challenges(page)
    page.get_by_role("link", name="For me to answer").click()
    page.get_by_role("link", name=challenge.reference).click()
    expect(page.locator("main")).to_contain_text("Stage 3, with")
    page.get_by_role("link", name="Respond").click()
    page.get_by_label("Your response").fill("Permanence panel date set; funding agreed.")
    page.get_by_role("button", name="Send response").click()

    # The IRO resolves it with the outcome.
    sign_in(page, people["alice"])
    page.goto(f"/challenges/{challenge.pk}/")
    page.get_by_role("link", name="Resolve").click()
    page.get_by_label("Outcome").fill("Permanence plan agreed at panel.")
    page.get_by_label("What changed for the child?").fill(
        "She now has a plan to stay with her carers."
    )
    axe_check(page)
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".moj-badge", has_text="Resolved")).to_be_visible()
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Escalation to stage 3 approved")
    expect(timeline).to_contain_text("Challenge resolved at stage 3")
    axe_check(page)
    screenshot(page, "challenge-detail-resolved")

    page.goto(f"/children/{child.pk}/")
    expect(page.locator("#challenges + ul")).to_contain_text(challenge.reference)
    expect(page.locator(".moj-timeline")).to_contain_text("Challenge resolved at stage 3")
    page.goto("/challenges/themes/")
    axe_check(page)
    screenshot(page, "challenge-themes")
