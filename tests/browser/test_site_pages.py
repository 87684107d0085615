"""Site pages in Chromium: the footer's links lead to them, and they pass axe at both widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WIDTHS, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_footer_leads_to_each_site_page_and_the_privacy_page_is_accessible(page, seeded):
    page.goto("/")
    footer = page.get_by_role("navigation", name="About this site")
    labels = footer.get_by_role("link").all_inner_texts()
    assert labels == ["About", "Editorial policy", "Corrections", "Funding and advertising", "Privacy", "Contact"]

    footer.get_by_role("link", name="Privacy").click()
    expect(page).to_have_url(re.compile(r"/privacy/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    expect(page.get_by_role("heading", level=2, name="If you read the site")).to_be_visible()
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    screenshot(page, "site-page-privacy")

    page.get_by_role("navigation", name="About this site").get_by_role("link", name="Corrections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corrections")
    expect(page.get_by_role("heading", level=2, name="30 November 2026")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "site-page-corrections")
