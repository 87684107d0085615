"""/foods/ over every food USDA measured, in real Chromium: the scope switch (its groups come
with it), per 100 kcal, comparing from the rows (add, remove, in place), the back button, the
same controls with JavaScript off, axe-core, and screenshots at 390 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_swapped_in_place, screenshot
from tests.factories import NDBS, import_usda, seed_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def usda(tmp_path, seeded):
    """The foods list's own USDA sample (NDBS), not conftest's six."""
    return import_usda(tmp_path / "sr28", NDBS)


def names(page):
    return page.locator("#results tbody th").all_inner_texts()


def test_the_scope_switch_brings_usdas_foods_and_groups_in_place(page, usda):
    page.goto("/foods/")
    page.evaluate("window.__same_document = true")
    expect(page.locator("#result-count")).to_have_text(f"{len(seed_data('magnesium_foods.csv'))} foods")
    page.get_by_label("Every food USDA measured").check()
    expect(page).to_have_url(re.compile(r"/foods/\?scope=all"))
    expect(page.locator("#result-count")).to_have_text(f"{len(NDBS)} foods")
    # The form now offers USDA's groups, not the featured ones.
    expect(page.get_by_label("Nut and Seed Products")).to_be_visible()
    expect(page.get_by_label("Nuts", exact=True)).to_have_count(0)
    page.get_by_label("Nut and Seed Products").check()
    expect(page.locator("#result-count")).to_have_text("2 foods match your filters")
    assert "part=listing" not in page.url
    # And back to the featured foods, with their groups.
    page.get_by_label("Featured foods").check()
    expect(page.get_by_label("Nuts", exact=True)).to_be_visible()
    expect(page.locator("#results .notice")).to_contain_text("Unknown food group “nut-and-seed-products”")
    page.get_by_label("Every food USDA measured").check()
    expect(page.get_by_label("Nut and Seed Products")).not_to_be_checked()
    # Screenshots last: a screenshot leaves marks on the page that a later swap would copy (CSP refuses them).
    assert_swapped_in_place(page, "foods-all")


def test_per_100_kcal_puts_the_undefined_last_with_a_dash(page, usda):
    page.goto("/foods/?scope=all")
    page.get_by_label("Per 100 kcal").check()
    expect(page.locator("#results caption")).to_contain_text("per 100 kcal")
    expect(page).to_have_url(re.compile(r"basis=100kcal"))
    last = page.locator("#results tbody tr").last
    expect(last.locator("th")).to_have_text("Beverages, water, tap, drinking")
    expect(last.locator("td.num")).to_have_text("–no figure")
    expect(last).to_contain_text("0 kcal: undefined")
    assert_accessible(page)
    screenshot(page, "foods-all-100kcal")


def test_compare_add_and_remove_from_the_rows_in_place_then_back(page, usda):
    page.goto("/foods/?scope=all&q=spinach")
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="Compare Spinach, raw").click()
    expect(page.locator(".compare-tray")).to_contain_text("Your comparison (1 of 4)")
    expect(page).to_have_url(re.compile(rf"compare={usda['11457'].slug}$"))
    page.get_by_role("link", name="Compare Spinach, cooked, boiled, drained, without salt").click()
    link = page.get_by_role("link", name="Compare these 2 foods")
    expect(link).to_be_visible()
    # The form keeps the comparison, so a new search keeps it too.
    expect(page.get_by_label("Spinach, raw", exact=True)).to_be_checked()
    page.get_by_label("Search foods").fill("spin")
    expect(page).to_have_url(re.compile(r"q=spin&"))
    expect(link).to_be_visible()
    assert page.url.count("compare=") == 2 and "part=" not in page.url
    assert page.evaluate("window.__same_document") is True
    # Remove one from its row; Back brings it back.
    page.get_by_role("link", name="Remove Spinach, raw from comparison").click()
    expect(page.locator(".compare-tray")).to_contain_text("Your comparison (1 of 4)")
    page.go_back()
    expect(page.get_by_role("link", name="Compare these 2 foods")).to_be_visible()
    expect(page.get_by_label("Spinach, raw", exact=True)).to_be_checked()
    assert_accessible(page)
    screenshot(page, "foods-compare")
    page.get_by_role("link", name="Compare these 2 foods").click()
    expect(page).to_have_url(re.compile(r"/foods/compare/\?food="))
    expect(page.locator("#results .compare-column h3")).to_have_count(2)


def test_a_fifth_food_cannot_be_added(page, usda):
    slugs = "&".join(f"compare={usda[ndb].slug}" for ndb in ("12016", "11457", "11458", "12061"))
    page.goto(f"/foods/?scope=all&{slugs}")
    expect(page.get_by_role("link", name="Compare these 4 foods")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Compare Lentils"))).to_have_count(0)
    expect(page.locator("#results tbody").get_by_text("4 chosen").first).to_be_visible()
    assert_accessible(page)


def test_scope_basis_and_compare_work_with_javascript_off(browser, live_server, usda):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/foods/")
    page.get_by_label("Every food USDA measured").check()
    page.get_by_label("Per 100 kcal").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"scope=all.*basis=100kcal"))
    expect(page.locator("#results caption")).to_contain_text("per 100 kcal")
    page.get_by_role("link", name="Compare Spinach, raw").click()
    page.get_by_role("link", name="Compare Nuts, almonds").click()
    expect(page.get_by_role("link", name="Compare these 2 foods")).to_be_visible()
    page.get_by_label("Search foods").fill("spinach")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_have_text("2 foods match your filters")
    expect(page.get_by_role("link", name="Compare these 2 foods")).to_be_visible()  # kept by the form
    page.get_by_role("link", name="Remove Spinach, raw from comparison").click()
    expect(page.locator(".compare-tray")).to_contain_text("Your comparison (1 of 4)")
    context.close()
