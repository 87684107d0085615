"""Real-browser harness: Debian's Chromium driven by Playwright's sync API.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
ORM calls from it unless told that is fine (it is: the loop never runs our ORM code).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"mobile": 390, "desktop": 1280}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is None:
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def usda(usda):
    """tests/conftest.py's six USDA foods, as {ndb: slug}: browser tests only go to their pages."""
    return {ndb: food.slug for ndb, food in usda.items()}


@pytest.fixture
def editor_page(page, seeded, django_user_model):
    """A page logged in to the admin as a superuser; `page.violations` collects the console's CSP reports."""
    log_in_to_admin(page, django_user_model, "csp-editor")
    page.violations = []
    page.on("console", lambda msg: page.violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return page


@pytest.fixture
def page(browser, live_server):
    """A fresh page at desktop width. Any console error (a CSP violation, a failed load, a
    script error) fails the test: a visitor would be looking at a broken page."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900}, base_url=live_server.url)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()
    assert errors == [], f"console errors in the browser: {errors}"


def axe_violations(page, context=None):
    """What axe-core (shipped inside axe-playwright-python) finds on the page, or inside the CSS
    selector `context`: every violation whatever its impact, one line each. Minor and moderate
    findings (a duplicate landmark name, a skipped heading level) are what a screen-reader user
    trips over too. Items axe only flags for review ("incomplete", such as contrast over a
    background image) are not violations and are left to people."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context) if context else Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def assert_accessible(page, context=None):
    """axe-core finds no violation at all (see axe_violations)."""
    found = axe_violations(page, context)
    assert not found, "axe-core violations:\n" + "\n".join(found)


def screenshot(page, name):
    """Full-page screenshots at phone and desktop widths, for people to look at, when asked for
    with SCREENSHOTS=1 (they assert nothing and cost about a fifth of the browser tests' time)."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(original)


# --- What several browser tests do the same way --------------------------------------------------


def assert_strict_csp(response):
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"


def assert_swapped_in_place(page, name):
    """After live filtering: still the document marked with `window.__same_document = true` (the
    results were swapped in place, not reloaded), still accessible; screenshot `name`."""
    assert page.evaluate("window.__same_document") is True
    assert_accessible(page)
    screenshot(page, name)


def assert_back_and_forward(page, path, box, result_count, filtered, back_url, unfiltered):
    """On `path` sorted by name, tick `box`; Back restores the URL `back_url`, the unticked box, the
    sort and the rows (`unfiltered()` checks them, before ticking too); Forward the filtered list."""
    page.goto(path)
    page.get_by_label("Sort by").select_option("name")
    expect(page).to_have_url(re.compile(r"sort=name"))
    unfiltered()
    box.check()
    expect(result_count).to_have_text(filtered)
    page.go_back()
    expect(page).to_have_url(back_url)
    unfiltered()
    expect(box).not_to_be_checked()
    expect(page.get_by_label("Sort by")).to_have_value("name")
    page.go_forward()
    expect(result_count).to_have_text(filtered)
    expect(box).to_be_checked()


def log_in_to_admin(page, django_user_model, username, password="a-long-password-for-browser-tests"):
    """A new superuser `username`, logged in through the admin's login page."""
    django_user_model.objects.create_superuser(username, "editor@example.org", password)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()
