"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, with axe-core for accessibility.

Fixtures:
    browser                 session-wide headless Chromium
    page                    a fresh context and page per test (1280x900, base_url = live
                            server); the test fails on any console error (every CSP
                            violation is one), page exception or failed asset (CSS, JS,
                            image, font) or any 5xx. A page that is itself a 404 or 403 is allowed.
    axe_check(page, ...)    runs axe-core; fails on "serious" or "critical" violations
    screenshot(page, name)  saves test-results/screenshots/NAME.png, returns the path

Every test here is marked `e2e` and, unless it says otherwise, `django_db(transaction=True)`
(the live server runs in another thread, so test data must be committed to be seen).
"""

import os

# Playwright's sync API runs an event loop in this thread, which trips Django's async-safety
# check on ORM calls made by fixtures and tests. Set before Playwright (or Django) starts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Response,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
AXE_SOURCE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
ASSET_TYPES = {"stylesheet", "script", "image", "font", "media", "manifest"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so pick out the ones under tests/e2e.
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium also logs "Failed to load resource" for a page that is meant to be a 404
        # or 403 (a visitor without access); failed assets are caught by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            location = message.location.get("url", "")
            problems.append(f"console error on {page.url}: {message.text} ({location})")

    def on_page_error(error: Error) -> None:
        problems.append(f"JavaScript exception on {page.url}: {error.message}")

    def on_response(response: Response) -> None:
        kind = response.request.resource_type
        if (kind in ASSET_TYPES and response.status >= 400) or response.status >= 500:
            problems.append(f"{response.status} for {response.url} on {page.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported errors:\n" + "\n".join(problems), pytrace=False)


def _axe_violations(page: Page, options: dict[str, Any]) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() is not subject to the page's CSP, unlike an injected <script> tag.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (options) => {
            const results = await axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }""",
        options,
    )


@pytest.fixture
def axe_check() -> Callable[..., list[dict[str, Any]]]:
    """Return `check(page, disable=())`: run axe-core on the page as it is now.

    Fails on serious or critical violations; returns all violations (minor and moderate
    ones included) so a test can look at them. `disable` names axe rules to skip, each of
    which should carry a comment saying why.
    """

    def check(page: Page, disable: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        options: dict[str, Any] = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
        if disable:
            options["rules"] = {rule: {"enabled": False} for rule in disable}
        violations = _axe_violations(page, options)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe-core found problems on {page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
            for v in failing
        )
        return violations

    return check


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Return `take(page, name)`: a full-page PNG at test-results/screenshots/NAME.png."""

    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
