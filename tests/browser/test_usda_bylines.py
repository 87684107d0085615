"""The bylines added over USDA's figures, on the articles list and on the comparison, in real Chromium: each
reads as a reader would see it, and axe-core finds nothing serious on the pages that carry them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def term(page, name):
    """The <dd> of the byline's <dt>{name}</dt>."""
    return page.locator(".page-dates div").filter(has=page.locator("dt", has_text=name)).locator("dd")


def test_usda_list_and_food_page_say_whose_figures_and_what_each_date_is(page, usda):
    for url, name in ((f"/foods/{usda['12016']}/", "usda-byline"), ("/foods/?scope=all", "usda-list-byline")):
        page.goto(url)
        expect(term(page, "Figures from")).to_contain_text("USDA’s food database (SR28), as published")
        expect(term(page, "Worked out by this site")).to_contain_text("magnesium per 100 kcal")
        expect(term(page, "Responsible for this page")).to_have_text("the Magnesium & Nerve Health editors")
        expect(term(page, "Last reviewed")).to_have_text("Not medically reviewed by this site")
        expect(term(page, "Last updated")).to_contain_text(
            "USDA SR28, released September 2015; imported into this site"
        )
        assert_accessible(page)
        screenshot(page, name)


def test_articles_list_and_compare_page_carry_a_byline(page, usda):
    page.goto("/articles/")
    expect(term(page, "Written by")).to_have_text("the Magnesium & Nerve Health editors")
    expect(term(page, "Last reviewed")).to_have_text("Not yet medically reviewed")
    assert_accessible(page)
    page.goto(f"/foods/compare/?food=pumpkin-seeds-pepitas-roasted&food={usda['11457']}")
    expect(term(page, "Figures from")).to_be_visible()
    expect(term(page, "Last updated")).to_contain_text("this site’s own figures")
    assert_accessible(page)
    screenshot(page, "compare-byline")
