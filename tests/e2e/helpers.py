"""Steps the browser journeys share."""

from datetime import date

from playwright.sync_api import Page

from people.models import User

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def sign_in(page: Page, user: User, *, next_url: str = "") -> None:
    """Sign in through the sign-in page as ``user``, signed out of anyone else first."""
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page: Page, legend: str, day: date) -> None:
    """Type ``day`` into the GOV.UK date input (Day, Month, Year) whose legend is ``legend``."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
