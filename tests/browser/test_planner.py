"""My magnesium day (/planner/) in real Chromium: search as you type, add a food and a supplement,
change an amount and see the result update in place while the URL follows, Back undoes an add, the
same forms work with JavaScript off, the print view, the "Add to my day" buttons; axe-core on each
state, screenshots at 390 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WOMAN = "adults-31-50-years-female"
PUMPKIN = "pumpkin-seeds-pepitas-roasted"
EXAMPLE = f"/planner/?stage={WOMAN}&food={PUMPKIN}:1&food=spinach-boiled-drained:2&supplement=label:200:1"
KIDNEY = "With kidney disease, take no magnesium supplement, antacid or laxative unless your prescriber advises it."


def remembered(page):
    """Wait for the planner page's load: its site.js (deferred) keeps the plan in the tab's sessionStorage, and a
    page.goto before it has run leaves the next "Add to my day" no plan to add to (seen under load, make test)."""
    page.wait_for_load_state("load")
    assert page.evaluate("sessionStorage.getItem('magnesium-day')") == page.url.split("?", 1)[1]


def answer(page):
    return page.locator("#result .calc-answer")


def test_add_change_and_back_in_place(page, usda):
    page.goto(f"/planner/?stage={WOMAN}")
    expect(page.locator("#result")).to_contain_text("Add a food or a supplement")
    page.evaluate("window.__same_document = true")  # a full reload would lose this

    # Search as you type: the matches appear without pressing anything.
    page.get_by_label("Search all foods by name").press_sequentially("pumpk")
    matches = page.locator("#food-matches")
    expect(matches).to_contain_text("Pumpkin seeds (pepitas), roasted")
    expect(matches).to_contain_text("Seeds, pumpkin and squash seed kernels, roasted, without salt")
    page.get_by_role("button", name="Add Pumpkin seeds (pepitas), roasted").click()
    expect(page).to_have_url(re.compile(rf"/planner/\?stage={WOMAN}&food={PUMPKIN}:1$"))
    expect(answer(page)).to_have_text("156 mg of magnesium a day")
    expect(page.locator("#plan-status")).to_have_text(re.compile(r"Your day: 156 mg of magnesium, 49% of the RDA"))

    # Change an amount: the result follows live and the address is the plan's own.
    page.get_by_label("Servings", exact=True).fill("2")
    expect(answer(page)).to_have_text("312 mg of magnesium a day")
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:2$"))

    # Another household measure (USDA's): 1 cup = 118 g of pumpkin seeds, 649 mg.
    page.get_by_label("Serving", exact=True).select_option("1")
    expect(answer(page)).to_have_text("1298 mg of magnesium a day")
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:2:1$"))
    page.get_by_label("Serving", exact=True).select_option("")
    expect(answer(page)).to_have_text("312 mg of magnesium a day")

    # A supplement, read label first: 400 mg of magnesium is above the Upper Level; food is not counted.
    page.get_by_label("What does the label say?").select_option("label")
    page.get_by_label("Amount per serving (mg)").fill("400")
    page.get_by_role("button", name="Add to my day").click()
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:2&supplement=label:400:1$"))
    expect(answer(page)).to_have_text("712 mg of magnesium a day")
    result = page.locator("#result")
    expect(result).to_contain_text("400 mg a day is 50 mg more than the Upper Level of 350 mg")
    expect(result).to_contain_text("Food (312 mg) is not counted in it")
    expect(result).to_contain_text(KIDNEY)
    # Biggest contributors first.
    expect(page.locator(".plan-item-name")).to_have_text(
        [re.compile(r"^Your supplement \(label: 400 mg\)"), re.compile(r"^Pumpkin seeds")]
    )
    assert page.evaluate("window.__same_document") is True
    assert_accessible(page)
    screenshot(page, "planner-day")

    # Back undoes the add; Forward redoes it.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:2$"))
    expect(answer(page)).to_have_text("312 mg of magnesium a day")
    page.go_forward()
    expect(answer(page)).to_have_text("712 mg of magnesium a day")

    # Remove redraws the plan and pushes the address.
    page.get_by_role("button", name="Remove Your supplement (from its label)").click()
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:2$"))
    expect(answer(page)).to_have_text("312 mg of magnesium a day")
    assert_accessible(page)


def test_the_issues_example_and_a_phone(page, seeded):
    page.goto(EXAMPLE)
    expect(answer(page)).to_have_text("512 mg of magnesium a day")
    expect(page.locator("#result")).to_contain_text("160% of the Recommended Dietary Allowance (RDA) of 320 mg")
    upper = "200 mg a day from supplements and medicines: 57% of the Upper Level"
    expect(page.locator("#result")).to_contain_text(upper)
    # A source is one click away.
    page.locator("#result .plan-items").get_by_role("link", name="source of Spinach, boiled, drained").click()
    expect(page.locator(":target")).to_contain_text("NIH ODS Magnesium Fact Sheet")
    assert_accessible(page)
    screenshot(page, "planner-example")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert_accessible(page)


def test_print_view_has_the_plan_sources_and_date_without_navigation(page, seeded):
    page.goto(EXAMPLE)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#plan-form")).to_be_hidden()
    expect(page.locator("#food-search")).to_be_hidden()
    expect(page.locator(".plan-items")).to_be_visible()
    expect(page.locator(".plan-sources")).to_be_visible()
    expect(page.locator(".plan-date")).to_contain_text("Worked out on")


def test_without_javascript_the_same_forms_work(browser, live_server, usda):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"/planner/?stage={WOMAN}")
        page.get_by_label("Search all foods by name").fill("spinach boiled")
        page.get_by_role("button", name="Find foods").click()
        page.get_by_role("button", name="Add Spinach, boiled, drained").click()
        expect(page).to_have_url(re.compile(rf"/planner/\?stage={WOMAN}&food=spinach-boiled-drained:1$"))
        expect(answer(page)).to_have_text("78 mg of magnesium a day")
        page.get_by_label("Servings", exact=True).fill("2")
        page.get_by_role("button", name="Update my day").click()
        expect(page).to_have_url(re.compile(r"food=spinach-boiled-drained:2$"))
        expect(answer(page)).to_have_text("156 mg of magnesium a day")
        page.get_by_label("What does the label say?").select_option("magnesium-glycinate")
        page.get_by_label("Amount per serving (mg)").fill("500")
        page.get_by_label("Servings a day").last.fill("2")
        page.get_by_role("button", name="Add to my day").click()
        expect(page).to_have_url(re.compile(r"supplement=magnesium-glycinate:500:2$"))
        expect(answer(page)).to_have_text("297 mg of magnesium a day")  # 156 + 141
        # A bad item in a shared link is dropped with a notice.
        page.goto("/planner/?food=nope:1&food=spinach-boiled-drained:1")
        expect(page.locator("#result .plan-notices")).to_contain_text("We have no food “nope”: left out.")
        expect(answer(page)).to_have_text("78 mg of magnesium a day")
    finally:
        context.close()


def test_add_to_my_day_from_a_food_page_and_the_calculator(page, usda):
    page.goto(f"/foods/{PUMPKIN}/")
    page.get_by_role("link", name=re.compile(r"^Add to my day\W+Pumpkin seeds \(pepitas\), roasted$")).click()
    expect(page).to_have_url(re.compile(rf"/planner/\?food={PUMPKIN}:1$"))
    expect(answer(page)).to_have_text("156 mg of magnesium a day")
    remembered(page)
    page.goto(
        f"/supplements/calculator/?label=compound&form=magnesium-glycinate&amount_mg=500&per_day=2&stage={WOMAN}"
    )
    page.get_by_role("link", name=re.compile(r"^Add to my day\W+this supplement$")).click()
    # Added to the day this tab last showed (the pumpkin seeds), with the calculator's life stage.
    expect(page).to_have_url(re.compile(rf"food={PUMPKIN}:1&stage={WOMAN}&supplement=magnesium-glycinate:500:2$"))
    expect(answer(page)).to_have_text("297 mg of magnesium a day")  # 156 + 141
    assert_accessible(page)


def test_add_to_my_day_adds_to_the_plan_this_tab_last_showed(page, usda):
    page.goto(f"/planner/?stage={WOMAN}&supplement=label:200:1")
    page.get_by_label("mg per serving, as the label gives it").fill("250")  # the address follows the edit
    expect(page).to_have_url(re.compile(r"supplement=label:250:1$"))
    page.goto(f"/foods/{PUMPKIN}/")
    page.get_by_role("link", name=re.compile(r"^Add to my day\W+Pumpkin seeds")).click()
    expect(page).to_have_url(re.compile(rf"/planner/\?stage={WOMAN}&supplement=label:250:1&food={PUMPKIN}:1$"))
    expect(answer(page)).to_have_text("406 mg of magnesium a day")  # 250 + 156
    remembered(page)
    page.goto(f"/foods/compare/?food={PUMPKIN}&food=spinach-boiled-drained")
    page.get_by_role("link", name=re.compile(r"^Add to my day\W+Spinach, boiled")).click()
    expect(answer(page)).to_have_text("484 mg of magnesium a day")  # + 78


def test_add_to_my_day_from_a_foods_row_in_either_scope(page, usda):
    """Every /foods/ row has "Add to my day", named for its food: from a featured row, then from a row of
    every USDA food (after filtering in place), each food lands in the plan."""
    page.goto("/foods/?q=pumpkin")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Pumpkin seeds (pepitas), roasted"))
    assert_accessible(page)
    row.get_by_role("link", name=re.compile(r"^Add to my day\W+Pumpkin seeds \(pepitas\), roasted$")).click()
    expect(page).to_have_url(re.compile(rf"/planner/\?food={PUMPKIN}:1$"))
    expect(answer(page)).to_have_text("156 mg of magnesium a day")
    remembered(page)

    page.goto("/foods/?scope=all")
    page.get_by_label("Search").fill("pumpkin")  # the list filters in place; its rows' links follow
    pumpkin = "Seeds, pumpkin and squash seed kernels, roasted, without salt"
    link = page.get_by_role("link", name=re.compile(rf"^Add to my day\W+{re.escape(pumpkin)}$"))
    expect(link).to_have_count(1)
    link.click()
    # Added to the day this tab last showed.
    expect(page).to_have_url(re.compile(rf"/planner/\?food={PUMPKIN}:1&food={usda['12016']}:1$"))
    expect(page.locator("main")).to_contain_text(pumpkin)
