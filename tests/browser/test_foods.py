"""/foods/ in real Chromium: live filtering, the URL, back/forward, JavaScript off, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from supplements.models import FoodEntry
from tests.browser.conftest import assert_accessible, assert_back_and_forward, assert_swapped_in_place, screenshot
from tests.factories import seed_data

pytestmark = pytest.mark.django_db(transaction=True)
SEED_FOODS = len(seed_data("magnesium_foods.csv"))


def first_row(page):
    return page.locator("#results tbody tr").first.locator("th")


def test_filters_update_the_table_in_place_and_the_url_follows(page, seeded):
    page.goto("/foods/")
    expect(page.locator("#result-count")).to_have_text(f"{SEED_FOODS} foods")
    assert_accessible(page)
    screenshot(page, "foods")
    # Mark the document: a full reload would lose this, an in-place swap keeps it.
    page.evaluate("window.__same_document = true")

    page.get_by_label("Search foods").fill("seed")
    expect(page).to_have_url(re.compile(r"/foods/\?.*q=seed"))
    expect(page.locator("#result-count")).to_contain_text("match your filters")
    names = page.locator("#results tbody th").all_inner_texts()
    assert names and all("seed" in name.lower() for name in names)

    page.get_by_label("Seeds", exact=True).check()
    expect(page).to_have_url(re.compile(r"group=seeds"))
    page.get_by_label("Per 100 g").check()
    expect(page).to_have_url(re.compile(r"basis=100g"))
    expect(page.locator("#results caption")).to_contain_text("per 100 g")
    assert_swapped_in_place(page, "foods-filtered")


def test_back_button_restores_the_previous_view_with_matching_controls(page, seeded):
    assert_back_and_forward(
        page,
        "/foods/",
        page.get_by_label("Dark chocolate and cocoa"),
        page.locator("#result-count"),
        f"{FoodEntry.objects.filter(group__name='Dark chocolate and cocoa').count()} foods match your filters",
        re.compile(r"/foods/\?(basis=serving&)?sort=name$"),  # empty fields left out
        unfiltered=lambda: expect(first_row(page)).to_have_text("Almonds, dry roasted"),
    )


def test_pagination_keeps_filters_and_works_by_keyboard(page, seeded):
    page.goto("/foods/?sort=name")
    next_link = page.get_by_role("link", name="Next page")
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=name.*page=2|page=2.*sort=name"))
    expect(page.locator("#results")).to_contain_text(f"Page 2 of {-(-SEED_FOODS // 25)}")


def test_the_same_form_works_with_javascript_off(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/foods/")
    page.get_by_label("Search foods").fill("spinach")
    page.get_by_label("Leafy greens").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"q=spinach"))
    spinach = FoodEntry.objects.filter(name__icontains="spinach", group__name="Leafy greens").count()
    expect(page.locator("#result-count")).to_have_text(f"{spinach} foods match your filters")
    expect(page.get_by_label("Search foods")).to_have_value("spinach")
    context.close()


def test_empty_result_and_source_details(page, seeded):
    page.goto("/foods/?q=almonds")
    page.get_by_text("Source for Almonds, dry roasted").click()
    expect(page.get_by_role("link", name="Open the source")).to_be_visible()
    page.get_by_label("Search foods").fill("zzzz")
    expect(page.get_by_text("No foods match these filters.")).to_be_visible()
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("#result-count")).to_have_text(f"{SEED_FOODS} foods")


def test_leaving_the_search_box_does_not_fetch_the_list_already_shown(page, seeded):
    """Leaving the box fires "change" with the words already fetched. Fetching them again replaced
    the results under the reader's pointer, so a press on "Clear filters" and its release fell on
    two different links and the click was lost (CI: the list stayed filtered)."""
    page.goto("/foods/")
    page.get_by_label("Search foods").fill("zzzz")
    expect(page.get_by_text("No foods match these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=zzzz"))
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/foods/" in request.url else None)
    page.get_by_label("Search foods").press("Tab")  # blur: the browser fires "change"
    page.get_by_label("Search foods").fill("zzzzy")  # a real change is still fetched
    expect(page).to_have_url(re.compile(r"q=zzzzy"))
    assert [url for url in requests if "q=zzzz&" in url or url.endswith("q=zzzz")] == []
    assert any("q=zzzzy" in url for url in requests)


def test_typing_ticking_and_switching_basis_update_in_place_and_reload_keeps_the_view(page, seeded):
    page.goto("/foods/")
    page.evaluate("window.__same_document = true")
    page.get_by_label("Search foods").press_sequentially("alm", delay=50)
    expect(page.locator("#results tbody th")).to_have_text(["Almonds, dry roasted"])
    page.get_by_label("Search foods").fill("")
    page.get_by_label("Nuts", exact=True).check()
    page.get_by_label("Seeds", exact=True).check()
    expect(page).to_have_url(re.compile(r"group=nuts&group=seeds"))
    page.get_by_label("Per 100 g").check()
    expect(page.locator("#results caption")).to_contain_text("per 100 g")
    groups = set(page.locator("#results tbody td:nth-child(5)").all_inner_texts())
    assert groups == {"Nuts", "Seeds"}
    assert page.evaluate("window.__same_document") is True  # no page load so far
    first = page.locator("#results tbody th").first.inner_text()

    page.reload()
    expect(page.get_by_label("Nuts", exact=True)).to_be_checked()
    expect(page.get_by_label("Seeds", exact=True)).to_be_checked()
    expect(page.get_by_label("Per 100 g")).to_be_checked()
    expect(page.locator("#results tbody th").first).to_have_text(first)


def test_on_a_phone_each_food_is_a_card_with_its_serving_on_screen(page, seeded):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/foods/?sort=name")
    table = page.locator(".food-table")
    table.scroll_into_view_if_needed()
    scroller = page.locator("#results .table-scroll")
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth"), "no sideways scrolling on a phone"
    card = page.locator("#results tbody tr").first
    serving = card.locator("td").nth(2)
    expect(serving).to_contain_text("1 oz")  # almonds: the serving the amount is for
    box = serving.bounding_box()
    assert box and box["x"] + box["width"] <= 390, "the serving is on screen, not off to the right"
    # Still a table to a screen reader: the row's header and its cells.
    expect(page.get_by_role("row", name=re.compile("Almonds, dry roasted"))).to_have_count(1)
    expect(page.get_by_role("rowheader", name="Almonds, dry roasted")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Source for Almonds, dry roasted").click()
    expect(card.locator("details.source")).to_have_attribute("open", "")
