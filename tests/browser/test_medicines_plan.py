"""From a plan on /planner/ to the medicines page and back, in real Chromium: the planner's "Check your
medicines" link lands on /supplements/medicines/ with the plan's supplements in a "From your plan" box;
ticking medicines updates the cards in place and the URL keeps the plan; "Back to your magnesium day" gives
the exact plan; the same with JavaScript off; axe-core on each state, screenshots at 390 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import GABAPENTIN_TIMETABLE

pytestmark = pytest.mark.django_db(transaction=True)

WOMAN = "adults-31-50-years-female"
PUMPKIN = "pumpkin-seeds-pepitas-roasted"
PLAN = f"stage={WOMAN}&food={PUMPKIN}:1&food=spinach-boiled-drained:2&supplement=label:200:1"
MEDICINES_LINK = "See how far apart to take each of your medicines from magnesium"


def plan_url(*medicines):
    """The address with the plan and the ticked medicines; a form's GET writes the plan's ":" as "%3A"."""
    plan = re.escape(PLAN).replace(":", "(?::|%3A)")
    return re.compile(rf"/supplements/medicines/\?{plan}" + "".join(f"&medicine={m}" for m in medicines) + "$")


def box(page):
    return page.locator(".plan-context")


def test_from_a_plan_to_the_medicines_and_back(page, seeded):
    page.goto(f"/planner/?{PLAN}")
    page.get_by_role("link", name=MEDICINES_LINK).click()
    expect(page).to_have_url(plan_url())
    expect(box(page)).to_contain_text(
        "Your magnesium day for adults, 31-50 years, female has 200 mg of magnesium a day from supplements, "
        "antacids and laxatives"
    )
    expect(box(page).locator("li")).to_have_text(
        ["Your supplement (label: 200 mg): 200 mg of magnesium a serving, 1 serving a day = 200 mg a day"]
    )
    expect(page.locator("#results .medicine-card h3")).to_have_count(23)
    assert_accessible(page)
    screenshot(page, "medicines-from-plan")
    page.evaluate("window.__same_document = true")

    # Ticking a medicine updates the cards in place; the address keeps the plan; the box stays.
    page.locator('input[name="medicine"][value="gabapentin"]').check()
    expect(page).to_have_url(plan_url("gabapentin"))
    expect(page.locator(".timetable li")).to_have_text([GABAPENTIN_TIMETABLE])
    assert page.evaluate("window.__same_document") is True
    expect(box(page)).to_contain_text("200 mg a day")
    assert_accessible(page)
    screenshot(page, "medicines-from-plan-ticked")

    # "Show all medicines" keeps the plan too.
    page.get_by_role("link", name="Show all medicines").click()
    expect(page).to_have_url(plan_url())
    expect(page.locator("#results .medicine-card h3")).to_have_count(23)

    # Back to the exact plan.
    page.get_by_role("link", name="Back to your magnesium day").click()
    expect(page).to_have_url(re.compile(rf"/planner/\?{re.escape(PLAN)}$"))
    expect(page.locator("#result .calc-answer")).to_have_text("512 mg of magnesium a day")


def test_a_bad_item_in_the_link_is_left_out_with_a_notice(page, seeded):
    page.goto(f"/supplements/medicines/?{PLAN}&supplement=unobtainium:1:1")
    expect(box(page).get_by_role("status")).to_contain_text("We have no supplement form “unobtainium”: left out.")
    expect(box(page).get_by_role("link", name="Back to your magnesium day")).to_have_attribute(
        "href", f"/planner/?{PLAN}"
    )
    assert_accessible(page)


def test_from_a_plan_to_the_medicines_and_back_with_javascript_off(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"/planner/?{PLAN}")
        page.get_by_role("link", name=MEDICINES_LINK).click()
        expect(box(page)).to_contain_text("200 mg of magnesium a day")
        page.locator('input[name="medicine"][value="levothyroxine"]').check()
        page.get_by_role("button", name="Show my medicines").click()
        expect(page).to_have_url(plan_url("levothyroxine"))
        expect(page.locator(".timetable li")).to_have_text(
            ["levothyroxine: Keep apart: take levothyroxine at least 4 h before or 4 h after magnesium"]
        )
        expect(box(page)).to_contain_text("Your supplement (label: 200 mg)")
        page.get_by_role("link", name="Back to your magnesium day").click()
        expect(page).to_have_url(re.compile(rf"/planner/\?{re.escape(PLAN)}$"))
        expect(page.locator("#result .calc-answer")).to_have_text("512 mg of magnesium a day")
    finally:
        context.close()
