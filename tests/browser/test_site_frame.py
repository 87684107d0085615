import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_navigation_links_open_accessible_pages(page, seeded):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Magnesium")
    assert_accessible(page)
    screenshot(page, "home")

    nav = page.get_by_role("navigation", name="Main")
    labels = nav.get_by_role("link").all_inner_texts()
    assert labels == ["Articles", "Evidence", "Foods", "Supplements"]
    for label in labels:
        page.goto("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # The current section is marked for screen readers and styled for everyone.
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=label)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)
        screenshot(page, f"nav-{label.lower()}")


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_unknown_page_shows_the_site_404(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    page.console_errors.clear()  # the 404 itself is logged by Chromium as a failed load
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert_accessible(page)
