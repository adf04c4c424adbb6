"""Browser journeys: Debian's Chromium (headless, driven by Playwright) against pytest-django's live server.

- ``browser_session``: one Chromium for the whole run, started from ``LK_BROWSER_EXECUTABLE`` (never a
  Playwright browser download).
- ``visitor``: opens one browser context (own cookies) per person, signs in through the real pages with the
  password and the code the person's authenticator would show, and checks every page it meets with
  ``Visit.check``: a full-page screenshot in ``test-results/screenshots/`` and axe-core (WCAG 2.1 A/AA).

The tests call the ORM while Playwright's sync API holds an event loop in the same thread, so Django's
guard against database calls from async code is lifted while the browser runs (the calls are still plain
synchronous ones). Both end with this package's tests: the rest of the suite runs with the guard, and
``check --deploy`` (which refuses DJANGO_ALLOW_ASYNC_UNSAFE) stays clean.
"""

import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from accounts.demo import current_code
from tests.conftest import PASSWORD

BROWSER_DIR = Path(__file__).resolve().parent
AXE_SOURCE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `npm ci --prefix tests/browser` (scripts/setup.sh does).")
    return AXE_SOURCE.read_text()


@pytest.fixture(scope="package")
def browser_session() -> Browser:
    executable = os.environ.get("LK_BROWSER_EXECUTABLE", "/usr/bin/chromium")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


class Visit:
    """Checks for every page a test meets: screenshot, then axe-core; counts pages to name the files."""

    def __init__(self, axe_source: str, screenshot_dir: Path, prefix: str):
        self.axe_source = axe_source
        self.screenshot_dir = screenshot_dir
        self.prefix = prefix
        self.count = 0
        self.checked: list[str] = []

    def screenshot(self, page: Page, name: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.screenshot_dir / f"{self.prefix}-{self.count:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self, page: Page) -> list[dict]:
        """Run axe-core on the page and return the serious and critical WCAG 2.1 A/AA violations.

        The page's CSP forbids inline scripts, so axe is not added as a script tag; ``evaluate`` runs it
        through the DevTools protocol, which the CSP does not govern.
        """
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source)
        result = page.evaluate(
            "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]

    def check(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        self.screenshot(page, name)
        violations = self.axe(page)
        self.checked.append(name)
        assert not violations, f"Accessibility violations on {name} ({page.url}):\n{format_violations(violations)}"


class Person:
    """A user with an own browser context: signed in once (a TOTP code counts only once)."""

    def __init__(self, user, page: Page, base_url: str, visit: Visit):
        self.user = user
        self.page = page
        self.base_url = base_url
        self.visit = visit
        self.signed_in = False

    def url(self, name: str, *args) -> str:
        return self.base_url + reverse(name, args=args)

    def goto(self, name: str, *args) -> Page:
        self.page.goto(self.url(name, *args))
        return self.page

    def check(self, name: str) -> None:
        self.visit.check(self.page, f"{self.user.username}-{name}")

    def sign_in(self) -> Page:
        """Sign in through the login page with the password, then a fresh code of the user's device."""
        page = self.page
        page.goto(self.url("home"))
        expect(page.get_by_role("heading", name="Logga in", level=1)).to_be_visible()
        self.check("login")
        page.get_by_label("Användarnamn").fill(self.user.username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Fortsätt").click()
        expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()
        self.check("verify")
        device = self.user.totpdevice_set.get()
        device.refresh_from_db()
        code = fresh_code(device)
        page.get_by_label("Kod från autentiseringsappen eller en reservkod").fill(code)
        page.get_by_role("button", name="Logga in").click()
        expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
        self.check("home")
        self.signed_in = True
        return page


def fresh_code(device) -> str:
    """Return the device's current code, waiting for the next 30-s step if this step's code was used already."""
    from django_otp.oath import TOTP

    while True:
        clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        if device.last_t is None or clock.t() > device.last_t:
            return current_code(device)
        time.sleep(max(0.2, device.step - (time.time() - device.t0) % device.step))


@pytest.fixture
def visitor(browser_session, live_server, axe_source, screenshot_dir, request):
    """Return ``person(user)``: a ``Person`` with a fresh browser context of its own (not yet signed in)."""
    visit = Visit(axe_source, screenshot_dir, prefix=request.node.name.removeprefix("test_")[:60])
    contexts = []

    def person(user) -> Person:
        context = browser_session.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Person(user, context.new_page(), live_server.url, visit)

    person.visit = visit
    yield person
    for context in contexts:
        context.close()
